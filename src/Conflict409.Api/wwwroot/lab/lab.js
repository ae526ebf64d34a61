// The race lab: plans a race, sends both bursts, and draws what came back. Plain browser JavaScript, no build step.
"use strict";

const form = document.getElementById("race-form");
const statusLine = document.getElementById("status");
const svgNs = "http://www.w3.org/2000/svg";

form.addEventListener("submit", async event => {
  event.preventDefault();
  const button = document.getElementById("run");
  button.disabled = true;
  try {
    await race(Number(form.racers.value), Number(form.thinkTimeMs.value));
  } catch (error) {
    say(`The race could not run: ${error.message}`, true);
  } finally {
    button.disabled = false;
  }
});

function say(text, isError = false) {
  statusLine.textContent = text;
  statusLine.classList.toggle("error", isError);
}

async function race(racers, thinkTimeMs) {
  say("Planning the race…");
  const planned = await fetch("/lab/races", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ racers, thinkTimeMs }),
  });
  if (!planned.ok) {
    const problem = await planned.json();
    const errors = Object.values(problem.errors ?? {}).flat().join(" ");
    say(`${planned.status} ${problem.title} ${errors || problem.detail || ""}`.trim(), true);
    return;
  }

  const plan = await planned.json();
  const t0 = performance.now();
  say(`Racing ${plan.racers} registrations of ${plan.username} at the naive endpoint…`);
  const naive = await burst(plan.naivePath, plan, t0);
  say(`Racing ${plan.racers} registrations of ${plan.username} at POST /register…`);
  const atomic = await burst(plan.atomicPath, plan, t0);
  const outcome = await (await fetch(plan.outcomePath)).json();

  const rows = [
    { endpoint: "naive", label: "POST /naive/register (deliberately wrong)", requests: naive,
      holds: `${outcome.naiveCopies} cop${outcome.naiveCopies === 1 ? "y" : "ies"} in the naive list` },
    { endpoint: "atomic", label: "POST /register", requests: atomic,
      holds: outcome.registered ? "1 user" : "no user" },
  ];
  drawTally(rows);
  drawChart(rows);
  drawTimeline(rows);
  document.getElementById("results").hidden = false;
  say(`Done: ${plan.racers} racers, think time ${plan.thinkTimeMs} ms, username ${plan.username}.`);
}

// Every request is started at once; the browser queues those beyond its connection limit.
function burst(path, plan, t0) {
  const body = JSON.stringify({ username: plan.username });
  return Promise.all(Array.from({ length: plan.racers }, async () => {
    const start = performance.now() - t0;
    let status = 0;
    try {
      const response = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body });
      status = response.status;
      await response.text();
    } catch {
      status = 0;
    }
    return { start, end: performance.now() - t0, status };
  }));
}

function count(requests, status) {
  return status === "other"
    ? requests.filter(request => request.status !== 201 && request.status !== 409).length
    : requests.filter(request => request.status === status).length;
}

function drawTally(rows) {
  const body = document.querySelector("#tally tbody");
  body.replaceChildren(...rows.map(row => {
    const tr = document.createElement("tr");
    tr.dataset.endpoint = row.endpoint;
    const cells = [row.label, count(row.requests, 201), count(row.requests, 409), count(row.requests, "other"), row.holds];
    const statuses = [null, "201", "409", "other", "holds"];
    cells.forEach((value, index) => {
      const td = document.createElement("td");
      td.textContent = String(value);
      if (statuses[index]) {
        td.dataset.status = statuses[index];
      }
      tr.append(td);
    });
    return tr;
  }));
}

function svg(name, attributes, text) {
  const element = document.createElementNS(svgNs, name);
  for (const [key, value] of Object.entries(attributes)) {
    element.setAttribute(key, String(value));
  }
  if (text !== undefined) {
    element.textContent = String(text);
  }
  return element;
}

// Two groups of bars (naive, atomic), one bar per status, each labelled with its count.
function drawChart(rows) {
  const chart = document.getElementById("chart");
  chart.querySelectorAll(":scope > :not(title)").forEach(element => element.remove());
  const max = Math.max(1, ...rows.map(row => row.requests.length));
  const height = 170;
  const statuses = [201, 409, "other"];
  rows.forEach((row, group) => {
    const x0 = 40 + group * 300;
    statuses.forEach((status, index) => {
      const value = count(row.requests, status);
      const barHeight = Math.round(height * value / max);
      const x = x0 + index * 80;
      const className = `status-${status}`;
      chart.append(svg("rect", { x, y: 22 + height - barHeight, width: 60, height: barHeight, class: className }));
      chart.append(svg("text", {
        x: x + 30, y: 17 + height - barHeight, "text-anchor": "middle",
        "data-endpoint": row.endpoint, "data-status": String(status),
      }, value));
      chart.append(svg("text", { x: x + 30, y: height + 40, "text-anchor": "middle" }, status === "other" ? "other" : status));
    });
    chart.append(svg("text", { x: x0 + 110, y: height + 62, "text-anchor": "middle" },
      row.endpoint === "naive" ? "naive (check, then add)" : "/register (atomic)"));
  });
}

function drawTimeline(rows) {
  const timeline = document.getElementById("timeline");
  timeline.replaceChildren();
  const requests = rows.flatMap(row => row.requests.map(request => ({ ...request, endpoint: row.endpoint })));
  const end = Math.max(1, ...requests.map(request => request.end));
  const width = 520;
  const rowHeight = requests.length > 100 ? 2 : 4;
  timeline.setAttribute("height", String(requests.length * rowHeight + 40));
  requests.forEach((request, index) => {
    const x = 110 + width * request.start / end;
    const status = request.status === 201 || request.status === 409 ? request.status : "other";
    timeline.append(svg("rect", {
      x, y: 10 + index * rowHeight, width: Math.max(1, width * (request.end - request.start) / end), height: rowHeight - 1,
      class: `status-${status}`, "data-endpoint": request.endpoint, "data-status": String(request.status),
    }));
  });
  rows.forEach((row, group) => {
    const y = 10 + (group === 0 ? 0 : rows[0].requests.length) * rowHeight + 12;
    timeline.append(svg("text", { x: 0, y }, row.endpoint === "naive" ? "naive" : "/register"));
  });
  timeline.append(svg("text", { x: 110, y: requests.length * rowHeight + 32 }, "0 ms"));
  timeline.append(svg("text", { x: 110 + width, y: requests.length * rowHeight + 32, "text-anchor": "end" }, `${Math.round(end)} ms`));
}
