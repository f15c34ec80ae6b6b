// The page's one state store: every piece of state the page shows, the address that writes it
// down, and the listeners that draw it. No DOM, no requests, no maths: the views draw what it
// holds, the moves (session.js) put the API's answers into it, and it alone writes the address.
//
// API (see createStore):
//   const store = createStore({ href, writeAddress, storage, tabStorage, describe });
//   store.state                  the state now (a new object after each change: read, never write)
//   store.update(patch)          changes fields; an unknown field is an error (add it to FIELDS)
//   store.subscribe(fn)          fn(state, changed) after every change, at once; returns an
//                                unsubscribe function. For what is cheap to draw (a button's
//                                pressed state, the root's classes, the message line).
//   store.onSettled(fn)          fn(state, changed) once the moves queued are done, with every
//                                field changed since the last call; it may return a promise, and
//                                `busy` stays true until every one has resolved. For the views
//                                that draw the step (formulas, matrices, the equation view).
//   store.run(action)            queues action(store) (async allowed) after the ones before; a
//                                thrown error becomes the message line and stops playing;
//                                `busy` is true from now until it and its drawing are done.
//   store.idle()                 a promise of the moves queued now done and drawn.
//   named actions                applyMove, applyDetails, applySession, setNotation, setLayout,
//                                setPresenter, setScale, setPredict, setTables, follow, say,
//                                applyNetwork, applyRoom, ownRoom, showRoomLinks, ...
//   store.link(path), store.networkLink(spec)   absolute links for sharing (address.js).
//
// A change of a drawn field made while no move is queued queues an empty one, so that the
// settled views redraw (the fields in LIVE do not: they are drawn at once by subscribers).
//
// To give the page a new piece of state, add a field to FIELDS (with its default), and, if the
// address should carry it, an entry to ADDRESS in address.js: never a module-level variable
// elsewhere.

import {
  ADDRESS_FIELDS,
  defaultLayout,
  LAYOUTS,
  networkLink,
  readAddress,
  writeAddress,
} from "./address.js";
import { DEFAULT_SCALE, SCALES } from "./scales.js";
import { detailsPatch, movePatch, networkPatch, sessionPatch } from "./store-session.js";

/** Every field of the page's state, with its default. */
const FIELDS = {
  // The session: where it is and what is shown (the reducers below keep these).
  sessionId: null, // the id of the session the page steps (in the address as ?session=)
  session: null, // the Session answer of the API, kept where the last move said it is
  detailsOf: "", // "id/iteration" whose spec, parameters and losses `session` holds
  step: null, // the Step record now shown (with tensors), or null before the first step
  ranges: new Map(), // colour-scale key -> largest |value| seen since the session began
  spec: null, // the network in the address's #spec= (the one the page was built from)
  specProblem: null, // why the address's #spec= could not be used: "unreadable" | "not-a-spec"
  presets: [], // the API's presets, for the preset menu
  // How it is shown.
  convention: "column", // "column" (the paper) | "row" (the Q&A, NumPy)
  view: "affine", // "affine" (W_i, b_i) | "homogeneous" (Ŵ_i, where the network has biases)
  names: "paper", // "paper" | "qa": the Q&A's H, W, B, Y, Y* (row convention, where they fit)
  layout: "panels", // "panels" | "equation"; the default follows `presenter`
  presenter: false, // large type, high contrast, the formula and the matrices only
  scale: DEFAULT_SCALE, // the diverging colour scale's name (scales.js)
  predict: false, // predict mode: a new step's results hidden until predicted
  tolerance: 0.001, // predict mode: an entry v is right when |v − e| ≤ tolerance · (1 + |e|)
  tables: false, // every matrix shown as a table of numbers
  diagramEdges: "weight", // the network diagram's edges: "weight" | "gradient"
  gradientsOf: "", // the step key whose gradient forms are open, or ""
  // Assignments: the student's page (/assignments/<id>) and the lecturer's (…/lecturer).
  assignment: null, // the assignment's outline (GET /api/assignments/{id})
  work: null, // the student's own work: network, standing at each task, what is withheld
  token: null, // the page's token (the student's or the lecturer's); never in the address
  submitted: {}, // task -> the last graded submission of this visit (the API's answer)
  drafts: {}, // task -> the entries typed but not submitted, as rows of text
  results: null, // the lecturer's live table (GET /api/assignments/{id}/results)
  // Live.
  follow: null, // the view id of a lecturer's session the page follows (?follow=), or null
  live: false, // the followed session's stream is open
  dropped: false, // the followed stream's connection dropped a while ago: the browser tries again
  followed: null, // the followed room's {network, started, lecturer_page}; null for a plain view
  followNote: "", // the one line a follower is told of the lecturer's last new network
  // The room this page owns (a lecturer's): students follow it from network to network.
  room: null, // {id, key}: its id, to share, and its owner key (kept for this tab), or null
  roomLinks: null, // the addresses students open it at (GET /api/views/{id}/links), or null
  roomLink: 0, // which of roomLinks.links the page shows, and its QR code
  playing: false,
  speed: 1, // steps per second while playing
  training: false, // a streamed training run is going on: the moves are off until it ends
  busy: false, // moves are queued, or the page is drawing their answers
  ready: false, // the page has started (the presets read, a session shown or a failure said)
  message: { text: "", kind: "error" }, // the message line: kind "error" | "warning"
};

/** Fields drawn at once by subscribers: changing them alone does not redraw the step. */
const LIVE = new Set([
  "drafts",
  "token",
  "busy",
  "ready",
  "message",
  "playing",
  "speed",
  "training",
  "tolerance",
  "gradientsOf",
  "presets",
  "live",
  "dropped",
  "followed",
  "followNote",
  "room",
  "roomLinks",
  "roomLink",
]);

const SCALE_KEY = "bpv-colour-scale";
/** The layout last chosen outside presenter mode, remembered for the next page opened. */
const LAYOUT_KEY = "bpv-layout";
const ROOM_KEY = "bpv-room"; // in the tab's sessionStorage: a reload keeps the room, a new tab does not
const NO_MESSAGE = FIELDS.message;
const SAME_SPEC = new Set(["spec"]);

// The session's reducers (store-session.js), also for the moves (session.js) and the tests.
export {
  detailsPatch,
  movePatch,
  needsDetails,
  networkNote,
  networkPatch,
  otherNetwork,
  sessionPatch,
} from "./store-session.js";

// --- the store ------------------------------------------------------------------------------

/**
 * The store of one page. `href` is the address the page was opened at (read once);
 * `writeAddress(href)` puts a new address in place (history.replaceState in the page);
 * `storage` remembers the colour scale and the layout (localStorage, or null); `tabStorage`
 * the room this page owns, for this tab only (sessionStorage, or null); `describe(error)`
 * writes a failed move as a sentence for the message line.
 */
export function createStore({
  href = "http://localhost/",
  writeAddress: putAddress = () => {},
  storage = null,
  tabStorage = null,
  describe = (error) => `Something went wrong: ${error?.message ?? error}`,
} = {}) {
  const recall = (key) => {
    try {
      return storage?.getItem(key) ?? null;
    } catch {
      return null; // storage may be off
    }
  };
  let room = null;
  try {
    room = JSON.parse(tabStorage?.getItem(ROOM_KEY) ?? "null");
  } catch {
    room = null; // storage may be off, or hold something else
  }
  const opened = readAddress(href, recall(SCALE_KEY));
  if (opened.follow || typeof room?.id !== "string" || typeof room?.key !== "string") room = null;
  let state = { ...FIELDS, ranges: new Map(), ...opened, room };
  // The layout chosen last time, where the address does not say one (presenter mode has its own).
  const chosenLayout = () =>
    LAYOUTS.includes(recall(LAYOUT_KEY)) ? recall(LAYOUT_KEY) : defaultLayout(false);
  if (!state.presenter && !new URL(href).searchParams.has("layout")) state.layout = chosenLayout();
  let address = href;
  const listeners = new Set();
  const settledListeners = new Set();
  let unsettled = new Set();
  let queue = Promise.resolve();
  let pending = 0;

  function update(patch) {
    const changed = new Set();
    for (const [key, value] of Object.entries(patch)) {
      if (!(key in FIELDS)) throw new Error(`the page's state has no field "${key}"`);
      if (!Object.is(state[key], value)) changed.add(key);
    }
    if (changed.size === 0) return changed;
    state = { ...state, ...patch };
    if ([...changed].some((key) => ADDRESS_FIELDS.has(key))) {
      // The address holds the spec as long as it is the same (68 kB for 784-256-128-10).
      const next = writeAddress(address, state, changed.has("spec") ? new Set() : SAME_SPEC);
      if (next !== address) {
        address = next;
        putAddress(next);
      }
    }
    for (const key of changed) unsettled.add(key);
    for (const listener of [...listeners]) listener(state, changed);
    if (pending === 0 && [...changed].some((key) => !LIVE.has(key))) run(() => {});
    return changed;
  }

  async function settle() {
    const changed = unsettled;
    unsettled = new Set();
    const drawn = [...settledListeners].map(async (listener) => listener(state, changed));
    for (const result of await Promise.allSettled(drawn)) {
      if (result.status === "rejected") {
        update({ message: { text: describe(result.reason), kind: "error" } });
        globalThis.reportError?.(result.reason);
      }
    }
  }

  function run(action) {
    pending += 1;
    update({ busy: true });
    queue = queue.then(async () => {
      try {
        update({ message: NO_MESSAGE });
        await action(store);
      } catch (error) {
        update({ message: { text: describe(error), kind: "error" }, playing: false });
      } finally {
        pending -= 1;
        if (pending === 0) {
          await settle();
          if (pending === 0) update({ busy: false });
        }
      }
    });
    return queue;
  }

  const store = {
    get state() {
      return state;
    },
    /** The address as the store last wrote it (or as the page was opened). */
    get address() {
      return address;
    },
    update,
    run,
    /** Resolves once the moves queued now are done and drawn. */
    idle: () => queue,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onSettled(listener) {
      settledListeners.add(listener);
      return () => settledListeners.delete(listener);
    },

    // The session.
    applyMove: (answer) => update(movePatch(state, answer)),
    applyDetails: (session) => update(detailsPatch(state, session)),
    applySession: (session) => update(sessionPatch(state, session)),

    // How it is shown.
    /** Sets {convention, view, names} (any); the colour ranges start over. */
    setNotation(choice) {
      const next = {
        convention: choice.convention ?? state.convention,
        view: choice.view ?? state.view,
        names: choice.names ?? state.names,
      };
      if (["convention", "view", "names"].every((key) => next[key] === state[key])) return;
      state.ranges.clear();
      update(next);
    },
    /** Presenter mode on or off; the layout becomes that mode's own (the one chosen last
     * outside presenter mode when it goes off). */
    setPresenter: (on) =>
      update({ presenter: Boolean(on), layout: on ? defaultLayout(true) : chosenLayout() }),
    /** Uses layout "panels" or "equation"; outside presenter mode it is remembered. */
    setLayout(layout) {
      if (!LAYOUTS.includes(layout)) throw new Error(`no layout "${layout}"`);
      if (!state.presenter) {
        try {
          storage?.setItem(LAYOUT_KEY, layout);
        } catch {
          // Storage may be off: the choice then lasts for this page.
        }
      }
      update({ layout });
    },
    /** Uses colour scale `name` (an unknown one: the default) and remembers it. */
    setScale(name) {
      const scale = Object.hasOwn(SCALES, name) ? name : DEFAULT_SCALE;
      try {
        storage?.setItem(SCALE_KEY, scale);
      } catch {
        // Storage may be off: the choice then lasts for this page.
      }
      update({ scale });
    },
    setPredict: (on) => update({ predict: Boolean(on) }),
    /** The tolerance predictions are graded with (a positive number up to 1, as the API takes). */
    setTolerance(tolerance) {
      const value = Number(tolerance);
      if (!(value > 0 && value <= 1)) throw new Error(`no tolerance ${tolerance}`);
      update({ tolerance: value });
    },
    setTables: (on) => update({ tables: Boolean(on) }),

    // Live.
    /** Follows view `viewId` (null: none); `live` while its stream is open. */
    follow: (viewId, live = viewId !== null) => update({ follow: viewId, live, dropped: false }),
    /** The followed stream's connection dropped (true) or is back (false). */
    setDropped: (dropped) => update({ dropped: Boolean(dropped) }),
    /** A room's new network (its `network` event), shown whole; `followNote` says so. */
    applyNetwork: (answer) => update(networkPatch(state, answer)),
    /** The followed room's state now (its `room` event: the lecturer's page closed or back). */
    applyRoom: (room) => update({ followed: room }),
    /** The room this page owns ({id, key}, or null when it has none any more), kept for the
     * tab (a reload keeps it); its links are read again. */
    ownRoom(owned) {
      const next = owned ? { id: owned.id, key: owned.key } : null;
      try {
        if (next) tabStorage?.setItem(ROOM_KEY, JSON.stringify(next));
        else tabStorage?.removeItem(ROOM_KEY);
      } catch {
        // Storage may be off: the room then lasts for this page.
      }
      update({ room: next, roomLinks: null, roomLink: 0 });
    },
    /** The addresses students open the room at (GET /api/views/{id}/links). */
    showRoomLinks: (links) => update({ roomLinks: links, roomLink: 0 }),
    /** Shows link `index` of the room's links (and its QR code). */
    chooseRoomLink(index) {
      const last = (state.roomLinks?.links.length ?? 1) - 1;
      update({ roomLink: Math.max(0, Math.min(Number(index) || 0, last)) });
    },
    play: () =>
      update({ playing: Boolean(state.session) && !state.session.read_only && !state.training }),
    /** A training run starts (playing stops) or ends. */
    setTraining: (on) => update(on ? { training: true, playing: false } : { training: false }),
    pause: () => update({ playing: false }),
    setSpeed: (stepsPerSecond) => update({ speed: Number(stepsPerSecond) }),
    /** Puts `text` on the message line ("" clears it). */
    say: (text, kind = "error") => update({ message: text ? { text, kind } : NO_MESSAGE }),

    // Links.
    /** The absolute address of `path` (e.g. a view's page) on the page's server. */
    link: (path) => new URL(path, href).toString(),
    /** A link that builds the same network in a new session (address.js' networkLink):
     * `{href, leftOut}`, the numbers of big explicit weights it leaves out. */
    networkLink: (spec) => networkLink(href, spec),
  };
  return store;
}
