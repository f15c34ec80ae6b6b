// The session widget's view: Back, Step and Play (Pause), where the session is, and the step's
// equation view written by Python. Every move is the server's: a button sends its action to
// the kernel, which moves the session and sends back the step to draw.

const PLAY_MS = 900;

function button(label, title) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  b.title = title;
  b.className = "bpv-widget-button";
  return b;
}

function render({ model, el }) {
  el.classList.add("bpv-widget");
  const bar = document.createElement("div");
  bar.className = "bpv-widget-bar";
  const back = button("Back", "One step back");
  const step = button("Step", "The next step");
  const play = button("Play", "Step on its own");
  const where = document.createElement("span");
  where.className = "bpv-widget-where";
  where.setAttribute("aria-live", "polite");
  const message = document.createElement("span");
  message.className = "bpv-widget-message";
  message.setAttribute("role", "status");
  bar.append(back, step, play, where, message);
  const view = document.createElement("div");
  view.className = "bpv-widget-view";
  el.append(bar, view);

  let timer = null;
  const stop = () => {
    if (timer !== null) clearInterval(timer);
    timer = null;
    play.textContent = "Play";
    play.setAttribute("aria-pressed", "false");
  };
  const send = (action) => model.send({ action });
  back.addEventListener("click", () => send("back"));
  step.addEventListener("click", () => send("step"));
  play.addEventListener("click", () => {
    if (timer !== null) return stop();
    play.textContent = "Pause";
    play.setAttribute("aria-pressed", "true");
    send("step");
    timer = setInterval(() => send("step"), PLAY_MS);
  });

  const draw = () => {
    view.innerHTML = model.get("html");
    where.textContent = model.get("where");
    message.textContent = model.get("message");
    if (model.get("message")) stop();
  };
  model.on("change:html", draw);
  model.on("change:where", draw);
  model.on("change:message", draw);
  draw();
  return stop;
}

export default { render };
