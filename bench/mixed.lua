-- bench/mixed.lua: wrk walks the pages listed in a file, one path a line,
-- each request the next (bench/README.md, the mixed workload):
--   wrk -s bench/mixed.lua http://127.0.0.1:PORT -- PATHS_FILE
-- Each thread starts at its own place in the list, so the threads do not ask
-- for the same page at the same moment.

local threads = 0

function setup(thread)
	thread:set("start", threads)
	threads = threads + 1
end

local paths, at = {}, 0

function init(args)
	for line in io.lines(args[1]) do
		if line ~= "" then paths[#paths + 1] = line end
	end
	assert(#paths > 0, "no paths in " .. args[1])
	at = math.floor((start or 0) * #paths / 2)
end

function request()
	at = at % #paths + 1
	return wrk.format("GET", paths[at])
end
