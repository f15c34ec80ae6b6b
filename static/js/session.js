// The moves: every change of the session goes through the API, one at a time (store.run), and
// its answer into the store; the views draw it once the moves queued are done. Also the
// follower's live stream and the play loop.

import * as api from "./api.js";
import { canEmbed, notationQuery } from "./notation.js";
import { followView } from "./rooms.js";
import { needsDetails, otherNetwork } from "./store.js";

/** What the page says, in one sentence, when its address asks for what it cannot show. */
export const ADDRESS_SAYS = {
  sessionGone:
    "The session in the address (?session=) is gone: it expired or was deleted, so a new one " +
    "was started.",
  followGone:
    "There is nothing to follow at this address (?follow=): the link is wrong, or the " +
    "lecturer's room has ended.",
  specRefused:
    "The network in the address (#spec=) was refused by the server: the editor shows why, " +
    "next to each field.",
  unreadable:
    "The network in the address (#spec=) cannot be read: the link is cut short or damaged, so " +
    "the XOR preset was started instead.",
  "not-a-spec":
    'The address\'s #spec= holds JSON that is not a network (it has no "layers" list), so the ' +
    "XOR preset was started instead.",
};

/**
 * The page's moves on `store`. `editor` (set once the API's lists are read) fills the network
 * editor; `openEditor(open)` shows or hides it.
 */
export class Moves {
  constructor(store, { openEditor }) {
    this.store = store;
    this.openEditor = openEditor;
    this.editor = null;
    this.source = null; // the followed view's event stream
    this.timer = null; // the next step while playing
    this.linked = null; // {spec, answer}: the session of the address's network, asked for early
    api.useNotation(() => notationQuery(store.state));
    store.subscribe((state, changed) => {
      if (changed.has("playing")) this.playing(state.playing);
    });
  }

  get id() {
    return this.store.state.session.id;
  }

  /** Moves the session; a move across an update reads its new parameters and losses too. */
  move(call) {
    return this.store.run(async (store) => {
      if (!store.state.session) return;
      store.applyMove(await call(this.id));
      if (needsDetails(store.state)) store.applyDetails(await api.readSession(this.id));
    });
  }

  step = () => this.move(api.stepSession);

  back = () =>
    this.store.state.session?.current === null ? Promise.resolve() : this.move(api.backSession);

  goTo = (number) => this.move((id) => api.gotoStep(id, number));

  runToEnd = () => this.goTo(this.store.state.session.step_count);

  reset = () =>
    this.store.run(async (store) => store.applySession(await api.resetSession(this.id)));

  /** Reads the step shown again (in a new notation): followed anew, or asked of the session. */
  reread() {
    const { follow: viewId } = this.store.state;
    if (viewId) return this.follow(viewId); // the stream's first event shows the new notation
    return this.store.run(async (store) => store.applyMove(await api.readCurrent(this.id)));
  }

  /** A move asked for by the user: playing stops; a followed session, or one training, does
   * not move. */
  byUser(action) {
    this.store.pause();
    if (this.store.state.session?.read_only || this.store.state.training) return Promise.resolve();
    return action();
  }

  /**
   * Asks at once for the session of the network the address links (`#spec=`), when the page
   * shows that network (no session nor room in the address): the server creates it while the
   * page's scripts still run and its lists are read. `start(spec)` takes its answer. Returns
   * whether it was asked for.
   */
  createLinked() {
    const { spec, follow, sessionId } = this.store.state;
    if (!spec || follow || sessionId) return false;
    const answer = api.createSession(spec);
    answer.catch(() => {}); // a refusal or failure is met where `start` awaits it
    this.linked = { spec, answer };
    return true;
  }

  /** The new session of `spec`: the one asked for early when it is of this very spec. */
  createSession(spec) {
    const linked = this.linked;
    this.linked = null;
    return linked?.spec === spec ? linked.answer : api.createSession(spec);
  }

  /**
   * Creates a session from `spec`; a 422 opens the editor with the API's messages next to the
   * fields, and says so: `refused` is the sentence, in the editor too when `fromAddress` (the
   * network came from the address, not from the editor: the editor is filled with it then, and
   * with the session's spec once created). Resolves to whether it was created.
   */
  async start(
    spec,
    {
      refused = "The network was not changed: see the marked fields in the editor.",
      fromAddress = false,
    } = {},
  ) {
    this.store.pause();
    let created = false;
    await this.store.run(async (store) => {
      try {
        const session = await this.createSession(spec);
        store.applySession(session);
        store.update({ spec });
        this.editor.fill(session.spec);
        this.openEditor(false);
        created = true;
      } catch (error) {
        if (fromAddress) this.editor.fill(spec);
        if (error instanceof api.ApiError && error.status === 422) {
          this.openEditor(true);
          this.editor.showErrors(error.detail, fromAddress ? refused : "");
          store.say(refused);
          return;
        }
        throw error;
      }
    });
    return created;
  }

  /** Starts preset `id` (of the store's presets). */
  startPreset(id) {
    const preset = this.store.state.presets.find((p) => p.id === id);
    if (!preset) return Promise.resolve();
    this.editor.fill(preset.spec);
    return this.start(preset.spec);
  }

  /**
   * Shows session `id` where it is, in the notation of the address; false when it is gone
   * (expired or deleted). Any other failure is thrown.
   */
  async restore(id) {
    let [shown, failure] = [false, null];
    await this.store.run(async (store) => {
      try {
        store.applySession(await api.readSession(id));
        store.applyMove(await api.readCurrent(id));
        if (needsDetails(store.state)) store.applyDetails(await api.readSession(id));
        // The homogeneous view needs the session's spec (biases?), known only now.
        if (store.state.view === "homogeneous" && canEmbed(store.state.session)) {
          store.applyMove(await api.readCurrent(id));
        }
        this.editor.fill(store.state.session.spec);
        if (!store.state.spec) store.update({ spec: store.state.session.spec });
        shown = true;
      } catch (error) {
        if (!(error instanceof api.ApiError && error.status === 404)) failure = error;
      }
    });
    if (failure) throw failure;
    return shown;
  }

  /** Follows a room (or a read-only view of one session): the page moves whenever the
   * lecturer does, and starts anew with each network they start, shown in the notation the
   * follower picks (a new pick follows anew: the stream is in one notation). Resolves at the
   * first answer (or when the stream has ended). */
  follow(viewId) {
    const { store } = this;
    store.follow(viewId);
    this.source?.close();
    let answered = false;
    return new Promise((resolve) => {
      const mine = () => this.source === source;
      const source = followView(viewId, {
        onNetwork: (answer) => {
          if (!mine()) return;
          answered = true;
          store.run(async () => {
            store.applyNetwork(answer);
            // A network without biases has no homogeneous view: the stream sent it as it is,
            // and is followed anew in the notation shown.
            if (store.state.view === "homogeneous" && !canEmbed(answer.session)) {
              store.setNotation({ view: "affine" });
              this.follow(viewId);
            }
          });
          resolve();
        },
        onAnswer: (answer) => {
          if (!mine()) return;
          answered = true;
          store.run(async () => {
            store.applyMove(answer);
            if (!needsDetails(store.state)) return;
            const read = await api.readView(viewId);
            if (!otherNetwork(store.state, read)) store.applyDetails(read.session);
          });
          resolve();
        },
        onRoom: (room) => mine() && store.applyRoom(room),
        onDropped: (dropped) => mine() && store.setDropped(dropped),
        onGone: (text) => {
          if (!mine()) return;
          store.follow(viewId, false);
          if (answered) {
            store.update({ followNote: text });
            resolve();
            return;
          }
          // A stream that never answered: most likely no such room or view (its link is
          // wrong). The banner, where a follower looks, says why the page shows nothing.
          store
            .run(async () => store.update({ followNote: await whyGone(viewId, text) }))
            .then(resolve);
        },
      });
      this.source = source;
    });
  }

  // --- play ---------------------------------------------------------------------------------

  togglePlay = () => (this.store.state.playing ? this.store.pause() : this.store.play());

  playing(on) {
    clearTimeout(this.timer);
    if (on) this.tick();
  }

  tick() {
    if (!this.store.state.playing) return;
    this.step().then(() => {
      const { playing, speed } = this.store.state;
      if (playing) this.timer = setTimeout(() => this.tick(), 1000 / speed);
    });
  }
}

/** Why view `viewId`'s stream ended: no such view (404), or else `text` (the stream's word). */
async function whyGone(viewId, text) {
  try {
    await api.readView(viewId);
  } catch (error) {
    if (error instanceof api.ApiError && error.status === 404) return ADDRESS_SAYS.followGone;
  }
  return text;
}
