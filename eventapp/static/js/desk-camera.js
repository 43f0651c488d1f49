/* The scan page's camera: the browser's BarcodeDetector where there is one, else the vendored jsQR decoding
 * frames drawn on a canvas (Chromium on Linux and Firefox have no BarcodeDetector). The same code seen again
 * within 4 s is the same ticket still in view, not a new scan. */
(function () {
  "use strict";

  window.DeskCamera = function DeskCamera({ video, canvas, button, text, onCode, isBusy, onError }) {
    let stream = null;
    let detector = null;
    let lastCode = { value: "", at: 0 };

    async function toggleCamera() {
      if (stream) {
        stream.getTracks().forEach((track) => track.stop());
        stream = null;
        video.hidden = true;
        button.textContent = text.camera_on;
        return;
      }
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      } catch (error) {
        onError(String(error.message || error));
        return;
      }
      video.srcObject = stream;
      video.hidden = false;
      await video.play();
      button.textContent = text.camera_off;
      if ("BarcodeDetector" in window) {
        try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); } catch (error) { detector = null; }
      }
      requestAnimationFrame(readFrame);
    }

    async function readFrame() {
      if (!stream) return;
      if (video.readyState >= 2 && !isBusy()) {
        const code = await decodeFrame();
        const now = Date.now();
        if (code && !(code === lastCode.value && now - lastCode.at < 4000)) {
          lastCode = { value: code, at: now };
          await onCode(code);
        }
      }
      setTimeout(() => requestAnimationFrame(readFrame), 120);
    }

    async function decodeFrame() {
      if (detector) {
        try {
          const found = await detector.detect(video);
          return found.length ? found[0].rawValue : null;
        } catch (error) { detector = null; }
      }
      if (typeof window.jsQR !== "function") return null;
      const width = video.videoWidth;
      const height = video.videoHeight;
      if (!width || !height) return null;
      canvas.width = width;
      canvas.height = height;
      const context = canvas.getContext("2d", { willReadFrequently: true });
      context.drawImage(video, 0, 0, width, height);
      const result = window.jsQR(context.getImageData(0, 0, width, height).data, width, height, { inversionAttempts: "dontInvert" });
      return result ? result.data : null;
    }

    return toggleCamera;
  };
})();
