"""Sending a list as a download: CSV streamed, XLSX built in write-only mode; nothing is stored on the server."""

from flask import Response, abort, stream_with_context

from eventapp.organiser.exports import Column, csv_chunks, safe_filename, xlsx_bytes

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_list(*name_parts: str, fmt: str, columns: list[Column], rows, sheet: str) -> Response:
    """The rows as `fmt` ("csv" or "xlsx"), in a file named after `name_parts`."""
    if fmt == "csv":
        response = Response(stream_with_context(csv_chunks(columns, rows)), mimetype="text/csv")
        response.mimetype_params["charset"] = "utf-8"
    elif fmt == "xlsx":
        response = Response(xlsx_bytes(sheet, columns, rows), mimetype=XLSX_TYPE)
    else:
        abort(404)
    response.headers["Content-Disposition"] = f'attachment; filename="{safe_filename(*name_parts, extension=fmt)}"'
    response.headers["Cache-Control"] = "no-store"
    return response
