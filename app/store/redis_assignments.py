"""Assignments in RedisStore's Redis, shared by every replica; each write one Lua script.

Per assignment, under `bpv:assignment:<id>`:

- the key itself, a hash: `record` (the lecturer's settings, JSON) and `touched` (Unix time of
  the last write to the assignment or its students);
- `…:students`, a hash from a student's number key to their record (JSON);
- `…:cursors`, a hash from a number key to the steps that student has taken;
- `…:keys`, a hash from the digest of a student's token to their number key;
- `…:attempts`, a hash from a number key to that student's attempts, one JSON line each.

`bpv:assignments`, a sorted set of ids by `touched`, counts them for MAX_ASSIGNMENTS. Every
write renews the expiry of all five keys, so Redis drops an assignment whole once it has gone
unused for its TTL (the app also purges it from the index, in `expire`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Unpack, cast

import redis

from .assignment_rules import AssignmentRules, AttemptsMade, Quota, RulesSettings
from .assignments import (
    Assignment,
    AssignmentNotFound,
    Attempt,
    Student,
    StudentNotFound,
    number_key,
)

PREFIX = "bpv"
PARTS = ("", ":students", ":cursors", ":keys", ":attempts")

_PROLOGUE = """
-- KEYS: the assignment's hash, students, cursors, keys, attempts, then the index of ids.
-- ARGV[1..4] in every script: id, now, cutoff, TTL in ms. Returns -1 for no live assignment.
local function live()
  local touched = redis.call('HGET', KEYS[1], 'touched')
  return touched and tonumber(touched) >= tonumber(ARGV[3])
end
local function touch()
  redis.call('HSET', KEYS[1], 'touched', ARGV[2])
  redis.call('ZADD', KEYS[6], ARGV[2], ARGV[1])
  for i = 1, 5 do redis.call('PEXPIRE', KEYS[i], ARGV[4]) end
end
"""

_SCRIPTS = {
    "create": """
-- ARGV[5]: the record, ARGV[6]: the most assignments. Returns 1, or 0 when full.
if redis.call('ZCOUNT', KEYS[6], ARGV[3], '+inf') >= tonumber(ARGV[6]) then return 0 end
redis.call('HSET', KEYS[1], 'record', ARGV[5])
touch()
return 1
""",
    "save": """
-- ARGV[5]: the record.
if not live() then return -1 end
redis.call('HSET', KEYS[1], 'record', ARGV[5])
touch()
return 1
""",
    "add_student": """
-- ARGV[5..9]: number key, token digest, record, cursor, the most students.
-- Returns 1, 0 when the number has joined, -2 when full.
if not live() then return -1 end
if redis.call('HEXISTS', KEYS[2], ARGV[5]) == 1 then return 0 end
if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[9]) then return -2 end
redis.call('HSET', KEYS[2], ARGV[5], ARGV[7])
redis.call('HSET', KEYS[3], ARGV[5], ARGV[8])
redis.call('HSET', KEYS[4], ARGV[6], ARGV[5])
touch()
return 1
""",
    "save_student": """
-- ARGV[5..9]: number key, token digest, record, cursor, '1' to clear the attempts.
-- Returns 1, or -2 when no such student.
if not live() then return -1 end
local old = redis.call('HGET', KEYS[2], ARGV[5])
if not old then return -2 end
redis.call('HDEL', KEYS[4], cjson.decode(old)['key'])
redis.call('HSET', KEYS[4], ARGV[6], ARGV[5])
redis.call('HSET', KEYS[2], ARGV[5], ARGV[7])
redis.call('HSET', KEYS[3], ARGV[5], ARGV[8])
if ARGV[9] == '1' then redis.call('HDEL', KEYS[5], ARGV[5]) end
touch()
return 1
""",
    "move_student": """
-- ARGV[5..6]: number key, cursor. Returns 1, or -2 when no such student.
if not live() then return -1 end
if redis.call('HEXISTS', KEYS[2], ARGV[5]) == 0 then return -2 end
redis.call('HSET', KEYS[3], ARGV[5], ARGV[6])
touch()
return 1
""",
    "add_attempt": """
-- ARGV[5..10]: number key, task, the attempt (one JSON line), attempts allowed (-1: any),
-- most a window, the start of the window (Unix time). Returns {1, attempts at the task}, {-2}
-- for no such student, {-3, attempts at the task, in the window, the oldest in it ('' for
-- none)} when refused (AssignmentRules says why).
if not live() then return {-1} end
if redis.call('HEXISTS', KEYS[2], ARGV[5]) == 0 then return {-2} end
local lines = redis.call('HGET', KEYS[5], ARGV[5]) or ''
local made, recent, oldest = 0, 0, nil
local since = tonumber(ARGV[10])
for line in string.gmatch(lines, '[^\\n]+') do
  local attempt = cjson.decode(line)
  if attempt['task'] == ARGV[6] then made = made + 1 end
  if attempt['at'] > since then
    recent = recent + 1
    if oldest == nil or attempt['at'] < oldest then oldest = attempt['at'] end
  end
end
if (tonumber(ARGV[8]) >= 0 and made >= tonumber(ARGV[8])) or recent >= tonumber(ARGV[9]) then
  return {-3, made, recent, oldest and tostring(oldest) or ''}
end
redis.call('HSET', KEYS[5], ARGV[5], lines .. ARGV[7] .. '\\n')
touch()
return {1, made + 1}
""",
    "delete": """
-- ARGV[5]: 'purge' to delete only when expired. Returns 1 when it deleted a live assignment
-- ('delete') or an expired one ('purge'), else 0.
local was_live = live()
if ARGV[5] == 'purge' and was_live then return 0 end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5])
redis.call('ZREM', KEYS[6], ARGV[1])
if ARGV[5] == 'purge' or was_live then return 1 end
return 0
""",
}
"""Every write's Lua script by name, each run after _PROLOGUE (one transaction each)."""


class RedisAssignments(AssignmentRules):
    """An AssignmentStore in a RedisStore's Redis; `answering` turns a Redis that does not
    answer into StoreUnavailable (503), as the store's own calls do."""

    def __init__(
        self,
        client: redis.Redis,
        *,
        answering: Callable[[], AbstractContextManager[None]],
        **settings: Unpack[RulesSettings],
    ) -> None:
        super().__init__(**settings)
        self.redis = client
        self._answering = answering
        self._scripts = {
            name: client.register_script(_PROLOGUE + body) for name, body in _SCRIPTS.items()
        }

    @property
    def index_key(self) -> str:
        """The sorted set of assignment ids by their last write."""
        return f"{PREFIX}:assignments"

    def keys(self, assignment_id: str) -> list[str]:
        """The assignment's five keys, then the index: what every script takes."""
        base = f"{PREFIX}:assignment:{assignment_id}"
        return [base + part for part in PARTS] + [self.index_key]

    def _run(self, script: str, assignment_id: str, *args: bytes | str | int | float) -> object:
        """Runs a script on the assignment; AssignmentNotFound when it answers -1."""
        now = self._clock()
        common: list[bytes | str | int | float] = [
            assignment_id,
            repr(now),
            repr(now - self.limits.ttl_seconds),
            max(1, math.ceil(self.limits.ttl_seconds * 1000)),
        ]
        with self._answering():
            answer = self._scripts[script](keys=self.keys(assignment_id), args=[*common, *args])
        first = answer[0] if isinstance(answer, list) else answer
        if first == -1:
            raise AssignmentNotFound(assignment_id)
        return answer

    def _record(self, assignment_id: str) -> Assignment:
        with self._answering():
            record, touched = cast(
                list[bytes | None],
                self.redis.hmget(self.keys(assignment_id)[0], ["record", "touched"]),
            )
        if record is None or touched is None or float(touched) < self._cutoff():
            raise AssignmentNotFound(assignment_id)
        return Assignment.from_json(record)

    def create(self, assignment: Assignment) -> None:
        """Stores the assignment; purges expired ones first."""
        self.expire()
        most = self.limits.max_assignments
        if self._run("create", assignment.id, assignment.to_json(), most) == 0:
            self._admit_assignment(most)

    def get(self, assignment_id: str) -> Assignment:
        """The assignment."""
        return self._record(assignment_id)

    def save(self, assignment: Assignment) -> None:
        """Replaces its settings."""
        self._run("save", assignment.id, assignment.to_json())

    def delete(self, assignment_id: str) -> None:
        """Deletes it with its students and their attempts."""
        if self._run("delete", assignment_id, "delete") != 1:
            raise AssignmentNotFound(assignment_id)

    def add_student(self, assignment_id: str, student: Student) -> None:
        """Adds the student."""
        answer = self._run(
            "add_student",
            assignment_id,
            student.number_key,
            student.key,
            student.to_json(),
            student.cursor,
            self.limits.max_students,
        )
        if answer != 1:
            self._admit_student(student, taken=answer == 0, joined=self.limits.max_students)

    def _read_student(self, assignment_id: str, key: str, wanted: str | None) -> Student:
        """The student with number key `key` (StudentNotFound naming `wanted`)."""
        students, cursors = self.keys(assignment_id)[1:3]
        with self._answering():
            pipe = self.redis.pipeline()
            pipe.hget(students, key)
            pipe.hget(cursors, key)
            record, cursor = pipe.execute()
        if record is None:
            raise StudentNotFound(assignment_id, wanted)
        return Student.from_json(record, int(cursor or 0))

    def student(self, assignment_id: str, number: str) -> Student:
        """The student with this number."""
        self._record(assignment_id)
        return self._read_student(assignment_id, number_key(number), number)

    def student_by_key(self, assignment_id: str, key: str) -> Student:
        """The student with this key."""
        self._record(assignment_id)
        with self._answering():
            found = cast(bytes | None, self.redis.hget(self.keys(assignment_id)[3], key))
        if found is None:
            raise StudentNotFound(assignment_id)
        return self._read_student(assignment_id, found.decode(), None)

    def students(self, assignment_id: str) -> list[Student]:
        """Every student, in the order they joined."""
        self._record(assignment_id)
        students, cursors = self.keys(assignment_id)[1:3]
        with self._answering():
            pipe = self.redis.pipeline()
            pipe.hgetall(students)
            pipe.hgetall(cursors)
            records, positions = pipe.execute()
        found = [
            Student.from_json(record, int(positions.get(key, 0))) for key, record in records.items()
        ]
        return sorted(found, key=lambda s: (s.joined, s.number_key))

    def save_student(self, assignment_id: str, student: Student, *, clear: bool = False) -> None:
        """Replaces the student's record (and with `clear` deletes their attempts)."""
        answer = self._run(
            "save_student",
            assignment_id,
            student.number_key,
            student.key,
            student.to_json(),
            student.cursor,
            "1" if clear else "0",
        )
        if answer == -2:
            raise StudentNotFound(assignment_id, student.number)

    def move_student(self, assignment_id: str, number: str, cursor: int) -> None:
        """Sets the student's steps taken."""
        if self._run("move_student", assignment_id, number_key(number), cursor) == -2:
            raise StudentNotFound(assignment_id, number)

    def _record_attempt(
        self, assignment_id: str, number: str, attempt: Attempt, quota: Quota
    ) -> int:
        """Records the attempt, unless refused."""
        answer = cast(
            list[int | bytes],
            self._run(
                "add_attempt",
                assignment_id,
                attempt.number,
                attempt.task,
                attempt.to_json(),
                -1 if quota.allowed is None else quota.allowed,
                quota.per_minute,
                repr(quota.window_start),
            ),
        )
        if answer[0] == -2:
            raise StudentNotFound(assignment_id, number)
        if answer[0] == -3:
            made, recent, oldest = answer[1:]
            at_task, in_window = int(made), int(recent)
            quota.admit(
                attempt.task, AttemptsMade(at_task, in_window, float(oldest) if oldest else None)
            )
            raise RuntimeError(f"Redis refused an attempt the rules take: {answer!r}")
        return int(answer[1])

    def attempts(self, assignment_id: str, number: str | None = None) -> list[Attempt]:
        """The attempts, oldest first."""
        self._record(assignment_id)
        key = self.keys(assignment_id)[4]
        with self._answering():
            if number is None:
                stored = cast(dict[bytes, bytes], self.redis.hgetall(key))
            else:
                self._read_student(assignment_id, number_key(number), number)
                lines = cast(bytes | None, self.redis.hget(key, number_key(number)))
                stored = {number_key(number).encode(): lines or b""}
        found = [
            Attempt.from_json(line, owner.decode())
            for owner, lines in stored.items()
            for line in lines.splitlines()
        ]
        return sorted(found, key=lambda a: a.at)

    def count(self) -> int:
        """The number of live assignments."""
        with self._answering():
            return int(self.redis.zcount(self.index_key, self._cutoff(), "+inf"))

    def expire(self) -> int:
        """Deletes the assignments unused for longer than the TTL (Redis may have dropped
        their keys already; this also drops them from the index)."""
        with self._answering():
            idle = cast(
                list[bytes],
                self.redis.zrangebyscore(self.index_key, "-inf", f"({self._cutoff()!r}"),
            )
        return sum(int(cast(int, self._run("delete", raw.decode(), "purge"))) for raw in idle)
