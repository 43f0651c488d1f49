-- GET one page over and over (the event page, or the ceiling's `ok`).
dofile(os.getenv("BENCH_LUA") .. "/common.lua")
