-- Walk-in: each thread is one desk with its own device token, scanning its list of codes in order.
-- The plan says what each scan should answer; the thread counts the answers that match.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local plan = dofile(os.getenv("BENCH_PLAN"))
collected = {"correct", "wrong", "wrong_answers"}

function init(args)
  start()
  desk = plan.desks[id]
  current, correct, wrong, wrong_answers = 1, 0, 0, {}
  headers = {
    ["Authorization"] = "Bearer " .. desk.token,
    ["Content-Type"] = "application/json",
  }
end

function request()
  local scan = desk.scans[current]
  return wrk.format("POST", plan.path, headers, string.format('{"event": "%s", "code": "%s"}', plan.event, scan[1]))
end

function response(status, headers, body)
  -- The top-level status is the last key of the (sorted) JSON object.
  local answer
  for value in body:gmatch('"status":%s*"([%w_]+)"') do answer = value end
  if status == 200 and answer == desk.scans[current][2] then
    correct = correct + 1
  else
    wrong = wrong + 1
    table.insert(wrong_answers, string.format("%d %s %s", status, desk.scans[current][2], answer or "-"))
  end
  current = current + 1
  if current > #desk.scans then finish() end
end
