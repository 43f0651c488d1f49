-- The registration rush: each thread is one browser (one connection) registering its share of the people,
-- one after another: GET the form (session cookie + CSRF token), then POST it.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local plan = dofile(os.getenv("BENCH_PLAN"))
collected = {"answers", "no_form"}

local function encode(text)
  return (tostring(text):gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  start()
  people = {}
  for number = id - 1, plan.people - 1, plan.clients do table.insert(people, number) end
  current, cookie, token = 1, nil, nil
  answers, no_form = {}, 0
end

function request()
  if token == nil then
    return wrk.format("GET", plan.path)
  end
  local body = {}
  for name, value in pairs(plan.forms[people[current] + 1]) do table.insert(body, encode(name) .. "=" .. encode(value)) end
  table.insert(body, "csrf_token=" .. encode(token))
  return wrk.format("POST", plan.path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie,
  }, table.concat(body, "&"))
end

function response(status, headers, body)
  if token == nil then
    token = body:match('name="csrf_token" type="hidden" value="([^"]+)"')
    cookie = (headers["Set-Cookie"] or ""):match("^([^;]+)")
    if token == nil or cookie == nil then no_form, token = no_form + 1, nil end
    return
  end
  -- person number, HTTP status, where the answer sent them (the personal page /r/<token>)
  table.insert(answers, string.format("%d %d %s", people[current], status, headers["Location"] or "-"))
  token, cookie = nil, nil
  current = current + 1
  if current > #people then finish() end
end
