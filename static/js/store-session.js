// The session's reducers of the page's store (store.js): what a move, a read of the session,
// a new session or a room's new network changes in the store's state. Pure functions of the
// state and the API's answer; no DOM, no requests.

const POSITION = ["id", "iteration", "cursor", "step_count", "current", "read_only"];

const positionOf = (session) => Object.fromEntries(POSITION.map((key) => [key, session[key]]));

const detailsKey = (session) => `${session.id}/${session.iteration}`;

/** The session id the address keeps: a followed (read-only) session has none of its own. */
const ownId = (state, session) => (session.read_only ? state.sessionId : session.id);

/**
 * What a {session, step} answer of step, back, goto or current changes. Its `session` says
 * only where the session is; the spec, parameters and losses held stay until `detailsPatch`.
 */
export function movePatch(state, answer) {
  if (state.session?.id !== answer.session.id) state.ranges.clear();
  const session = { ...state.session, ...answer.session };
  return { session, step: answer.step ?? null, sessionId: ownId(state, session) };
}

/**
 * True when the session's spec, parameters and losses held are not those of the iteration it
 * is in (a move crossed an update, or none were read yet): read the session again.
 */
export function needsDetails(state) {
  return state.session !== null && state.detailsOf !== detailsKey(state.session);
}

/**
 * What the session as GET /api/sessions/{id} (or a view) returns changes: its spec,
 * parameters, losses and outline. Where it is stays what the last move said; a read from
 * another iteration than that (the session moved meanwhile) changes nothing, and the next
 * move reads again.
 */
export function detailsPatch(state, session) {
  const held = state.session;
  if (held && held.id === session.id && held.iteration !== session.iteration) return {};
  const same = held && held.id === session.id;
  return {
    session: same ? { ...session, ...positionOf(held) } : session,
    detailsOf: detailsKey(session),
  };
}

/** What a new session (created, loaded or reset) changes: nothing shown, colour ranges forgotten. */
export function sessionPatch(state, session) {
  state.ranges.clear();
  return { session, detailsOf: detailsKey(session), step: null, sessionId: ownId(state, session) };
}

/** The line a follower reads when the room it follows starts network `room`. */
export function networkNote(room) {
  return room.started === "reset"
    ? "The lecturer started the network over."
    : "The lecturer started a new network.";
}

/**
 * What a room's `network` event (a view answer with `room`: the network the lecturer shows,
 * whole) changes: the session, its step and the room's state. A new network is shown as a new
 * session (colour ranges forgotten) with the line that says so; the first one a follower gets
 * says nothing, and the same one again (the stream reconnected) keeps the colour ranges.
 */
export function networkPatch(state, answer) {
  const known = state.followed;
  const step = answer.step ?? null;
  if (known !== null && known.network === answer.room.network) {
    const session = answer.session;
    return { session, detailsOf: detailsKey(session), step, followed: answer.room };
  }
  return {
    ...sessionPatch(state, answer.session),
    step,
    followed: answer.room,
    followNote: known === null ? state.followNote : networkNote(answer.room),
  };
}

/**
 * True when a view answer read after a move belongs to another network than the one the
 * follower shows (the lecturer started one meanwhile): its `network` event is on its way.
 */
export function otherNetwork(state, answer) {
  return Boolean(answer.room && state.followed && answer.room.network !== state.followed.network);
}
