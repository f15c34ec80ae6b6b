"""The Lua scripts of a RedisStore: every change to a session or its view is one of them, so it
is atomic, and a view is resolved in one too.

Each says at its top which keys (KEYS) and arguments (ARGV) it takes and what it answers.
"""

from __future__ import annotations

WRITE = """
-- The one write of a RedisStore, atomic. KEYS: session hash, history hash, losses, the index.
-- ARGV: mode, guard, id, touched, cutoff, ttl in ms, losses op ('', 'set', 'append'), losses,
--   history op ('' or 'replace'), n fields, field value ..., n drops, iteration ..., then
--   iteration parameters ... (history entries to write), to the end.
-- Modes: 'create' (guard: the most sessions), 'commit' (guard: the version read),
--   'save' and 'touch' (the session must be live). Returns 1, or 0 (full / changed
--   meanwhile), or -1 (no such live session).
local mode, guard = ARGV[1], ARGV[2]
if mode == 'create' then
  if redis.call('ZCOUNT', KEYS[4], ARGV[5], '+inf') >= tonumber(guard) then return 0 end
  redis.call('HSET', KEYS[1], 'version', 0)
else
  local stored = redis.call('HMGET', KEYS[1], 'version', 'touched')
  if not stored[1] then return -1 end
  if mode == 'commit' then
    if stored[1] ~= guard then return 0 end
  elseif tonumber(stored[2]) < tonumber(ARGV[5]) then
    return -1
  end
  if mode ~= 'touch' then redis.call('HINCRBY', KEYS[1], 'version', 1) end
end
redis.call('HSET', KEYS[1], 'touched', ARGV[4])
redis.call('ZADD', KEYS[4], ARGV[4], ARGV[3])
local at = 10
for i = at + 1, at + 2 * tonumber(ARGV[at]), 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
at = at + 2 * tonumber(ARGV[at]) + 1
if ARGV[7] == 'set' then
  redis.call('SET', KEYS[3], ARGV[8])
elseif ARGV[7] == 'append' then
  redis.call('APPEND', KEYS[3], ARGV[8])
end
if ARGV[9] == 'replace' then redis.call('DEL', KEYS[2]) end
for i = at + 1, at + tonumber(ARGV[at]) do redis.call('HDEL', KEYS[2], ARGV[i]) end
at = at + tonumber(ARGV[at]) + 1
for i = at, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ARGV[6]) end
return 1
"""

DELETE = """
-- Deletes a session and its view. KEYS: session hash, history hash, losses, the index, views,
-- view-of. ARGV: id, cutoff, mode. Mode 'delete' deletes it whatever its age and returns 1 if it
-- was live; mode 'purge' deletes it only if it is idle past the cutoff, and returns 1 if it did.
local score = redis.call('ZSCORE', KEYS[4], ARGV[1])
local idle = not score or tonumber(score) < tonumber(ARGV[2])
if ARGV[3] == 'purge' and not idle then return 0 end
local existed = redis.call('DEL', KEYS[1], KEYS[2], KEYS[3]) > 0
redis.call('ZREM', KEYS[4], ARGV[1])
local view = redis.call('HGET', KEYS[6], ARGV[1])
if view then
  redis.call('HDEL', KEYS[5], view)
  redis.call('HDEL', KEYS[6], ARGV[1])
end
if ARGV[3] == 'purge' then return 1 end
if existed and not idle then return 1 end
return 0
"""

CREATE_VIEW = """
-- The view id of a live session, made on first use. KEYS: the index, views, view-of.
-- ARGV: id, cutoff, a fresh view id. Returns the view id, or nil for no live session.
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) < tonumber(ARGV[2]) then return false end
local view = redis.call('HGET', KEYS[3], ARGV[1])
if view then return view end
redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[3], ARGV[1])
return ARGV[3]
"""

RESOLVE_VIEW = """
-- The id of the live session a view shows, or nil. KEYS: the index, views. ARGV: view id, cutoff.
local id = redis.call('HGET', KEYS[2], ARGV[1])
if not id then return false end
local score = redis.call('ZSCORE', KEYS[1], id)
if not score or tonumber(score) < tonumber(ARGV[2]) then return false end
return id
"""

CREATE_ROOM = """
-- A new room showing a live session. KEYS: the session index, the room index, the room.
-- ARGV: session id, cutoff, most rooms, room id, owner digest, now, ttl in ms.
-- Returns 1, 0 (as many rooms as allowed) or -1 (no such live session).
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) < tonumber(ARGV[2]) then return -1 end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[2])
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[3], 'owner', ARGV[5], 'session', ARGV[1], 'network', 1,
  'started', 'new', 'seen', ARGV[6], 'left', '', 'touched', ARGV[6])
redis.call('PEXPIRE', KEYS[3], ARGV[7])
redis.call('ZADD', KEYS[2], ARGV[6], ARGV[4])
return 1
"""
