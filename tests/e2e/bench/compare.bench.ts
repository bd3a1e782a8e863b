import { test, expect, chromium, type Browser, type CDPSession, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import base from '../playwright.config';
import { joinBots, MUC, type MucPeer } from '../lib/muc';
import { XmppSocket } from '../lib/xmpp';
import type { BenchClient, DataSet } from './client';
import { startConverse } from './converse';
import { instrument, median, stepTime, takeLongTasks } from './measure';
import { formFloor, formReadyMs } from './floor';
import { parley } from './parley';
import { serveStatic } from './serve';

// Parley and Converse.js side by side (scripts/bench.sh, `make bench`): both served the same
// way, against the same bench Prosody and data set, in a fresh headless Chromium per run,
// through the same steps (client.ts). After each step: its time, the longest main-thread task
// (including the work a client goes on with after it shows the result: the next step starts once
// the main thread has been quiet for 2 s and the WebSocket for 1 s, and how long long tasks went
// on is a figure too),
// the JS heap after a GC, the renderer process's memory (wasm memory is outside the JS heap),
// DOM nodes, and WebSocket bytes each way; HTTP bytes as transferred. The form step's are the
// first load: what the page had asked for before its form could be typed in (Resource Timing),
// so what a client fetches behind a ready form (Parley's app) is billed to the login. The
// first run warms up and is dropped; each figure is the median of the others, step a's time
// that of FORM_RUNS navigations. Prints one table, and under it the floor of step a
// (floor.ts), and writes target/bench/compare.json. Figures, not assertions.

const size = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const CONTACTS = size('PARLEY_BENCH_CONTACTS', 2_000);
const ROOMS = size('PARLEY_BENCH_ROOMS', 2_000);
const OCCUPANTS = size('PARLEY_BENCH_OCCUPANTS', 200);
const ARCHIVED = size('PARLEY_BENCH_ARCHIVED', 5_000);
const RUNS = size('PARLEY_BENCH_RUNS', 3);
// Step a's time varies most from run to run (a fresh browser starting on a busy machine) and a
// navigation alone takes two seconds: its median is of this many.
const FORM_RUNS = Math.max(RUNS, size('PARLEY_BENCH_FORM_RUNS', 9));
const PARLEY_PORT = 5450;
/** The compare Prosody's endpoint (scripts/bench-on-prosody.sh exports it). */
const WEBSOCKET_URL = process.env.PARLEY_TEST_WSS_URL ?? 'wss://localhost:5457/xmpp-websocket';
const REPO = path.join(__dirname, '../../..');
// The rooms every bench service has besides the bulk ones (server/prosody.cfg.lua).
const SEEDED_ROOMS = 4;

const STEPS = [
  ['form', 'a. navigation to login form ready'],
  ['roster', 'b. login to whole roster shown'],
  ['rooms', 'c. room list shown'],
  ['join', 'd. join the big room with its history'],
  ['history', 'e. open a chat, load all archived'],
] as const;
type Step = (typeof STEPS)[number][0];

const FIGURES = [
  ['ms', 'time (ms)'],
  ['longestTask', 'longest main-thread task (ms)'],
  ['busyAfter', 'main thread busy after it (ms)'],
  ['jsHeap', 'JS heap after GC (MiB)'],
  ['renderer', 'renderer memory, PSS (MiB)'],
  ['domNodes', 'DOM nodes'],
  ['wsIn', 'WebSocket in (KiB)'],
  ['wsOut', 'WebSocket out (KiB)'],
  ['httpIn', 'HTTP transferred (KiB)'],
] as const;
type Figure = (typeof FIGURES)[number][0];
type Figures = Partial<Record<Figure, number>>;
/** A step's figures, or why it has none. */
type Outcome = { figures: Figures } | { missing: string };

/** Bytes on the wire, counted from the browser's own network events. */
class Traffic {
  httpIn = 0;
  wsIn = 0;
  wsOut = 0;
  /** When the last WebSocket frame came or went (Date.now()). */
  lastFrameAt = 0;
  private mark = { httpIn: 0, wsIn: 0, wsOut: 0 };

  static async watch(cdp: CDPSession): Promise<Traffic> {
    const traffic = new Traffic();
    await cdp.send('Network.enable');
    cdp.on('Network.loadingFinished', (e) => (traffic.httpIn += e.encodedDataLength));
    cdp.on('Network.webSocketFrameReceived', (e) => {
      traffic.wsIn += Buffer.byteLength(e.response.payloadData);
      traffic.lastFrameAt = Date.now();
    });
    cdp.on('Network.webSocketFrameSent', (e) => {
      traffic.wsOut += Buffer.byteLength(e.response.payloadData);
      traffic.lastFrameAt = Date.now();
    });
    return traffic;
  }

  /** KiB since the last call. `httpNeeded`, when given, is the part of the HTTP bytes the step
   * needed; the rest is left for the next step. */
  take(httpNeeded?: number): Pick<Figures, 'httpIn' | 'wsIn' | 'wsOut'> {
    const now = { httpIn: this.httpIn, wsIn: this.wsIn, wsOut: this.wsOut };
    const kib = (k: keyof typeof now) => (now[k] - this.mark[k]) / 1024;
    const httpIn = httpNeeded === undefined ? kib('httpIn') : Math.min(httpNeeded, kib('httpIn'));
    const out = { httpIn, wsIn: kib('wsIn'), wsOut: kib('wsOut') };
    this.mark = { ...now, httpIn: this.mark.httpIn + httpIn * 1024 };
    return out;
  }
}

/** Proportional set size of the largest renderer: the page's (a spare renderer is tiny). */
async function rendererPss(browser: Browser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as {
      processInfo: { type: string; id: number }[];
    };
    let most = 0;
    for (const p of processInfo.filter((p) => p.type === 'renderer')) {
      try {
        const rollup = fs.readFileSync(`/proc/${p.id}/smaps_rollup`, 'utf8');
        most = Math.max(most, Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024);
      } catch {
        // Gone meanwhile.
      }
    }
    return most;
  } finally {
    await cdp.detach();
  }
}

/** The longest task since the last call; 0 when none reached 50 ms (the API's threshold). */
async function takeLongest(page: Page): Promise<number> {
  return Math.max(0, ...(await takeLongTasks(page)));
}

const QUIET_MS = 2_000;
const NETWORK_QUIET_MS = 1_000;

/** Waits until the main thread has had no long task for QUIET_MS and the WebSocket no frame
 * for NETWORK_QUIET_MS (at most two minutes), so a client's leftover work, and the answers still
 * coming to what it asked (the login's presence probes), are not billed to the next step; returns
 * how long long tasks went on after the step was done, in ms. */
async function settle(page: Page, traffic: Traffic): Promise<number> {
  const doneAt = await page.evaluate(() => performance.now());
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { now, lastEnd } = await page.evaluate(() => ({
      now: performance.now(),
      lastEnd: window.__lastLongEnd ?? 0,
    }));
    const quiet = now - lastEnd >= QUIET_MS && Date.now() - traffic.lastFrameAt >= NETWORK_QUIET_MS;
    if (quiet || Date.now() > deadline) return Math.max(0, lastEnd - doneAt);
    await page.waitForTimeout(250);
  }
}

async function state(page: Page, cdp: CDPSession, browser: Browser) {
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  const dom = (await cdp.send('Memory.getDOMCounters')) as { nodes: number };
  return {
    longestTask: await takeLongest(page),
    jsHeap: heap.usedSize / 1048576,
    renderer: (await rendererPss(browser)) / 1048576,
    domNodes: dom.nodes,
  };
}

/** KiB of what the page asked for before its login field could be typed in (measure.ts marks
 * the moment): the document and every resource started before it, as transferred. */
function firstLoadKiB(page: Page): Promise<number> {
  return page.evaluate(() => {
    const ready = window.__formReadyAt ?? Infinity;
    const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')] as PerformanceResourceTiming[];
    return entries.filter((e) => e.startTime < ready).reduce((sum, e) => sum + e.transferSize, 0) / 1024;
  });
}

/** scripts/profile.sh: the step whose Chromium trace is recorded (Parley only, one run). */
const PROFILE = process.env.PARLEY_BENCH_PROFILE as Step | undefined;
const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'disabled-by-default-v8.cpu_profiler',
  'v8.execute',
  'blink.user_timing',
  'loading',
  'toplevel',
];

/** The Chromium the runs used, for the table's header. */
let chromiumVersion: string | undefined;

/** One run of every step for one client, in a browser of its own. */
async function run(client: BenchClient, data: DataSet): Promise<Record<Step, Outcome>> {
  const browser = await chromium.launch(base.use?.launchOptions);
  chromiumVersion = browser.version();
  const out = {} as Record<Step, Outcome>;
  try {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      ignoreHTTPSErrors: true,
      serviceWorkers: 'block',
    });
    const page = await context.newPage();
    await instrument(page, client.loginField);
    const cdp = await context.newCDPSession(page);
    const traffic = await Traffic.watch(cdp);
    const steps: Record<Step, ((page: Page, data: DataSet) => Promise<void>) | undefined> = {
      // Not waiting for the load event: the form may be ready before it, or after.
      form: async (p) => {
        await p.goto(client.url, { waitUntil: 'commit' });
        await p.waitForFunction(() => window.__formReadyAt !== undefined, null, { polling: 'raf', timeout: 60_000 });
      },
      roster: client.loginToRoster,
      rooms: client.roomList,
      join: client.joinRoom,
      history: client.loadHistory,
    };
    let failed: string | undefined;
    for (const [step] of STEPS) {
      const action = steps[step];
      if (!action) {
        out[step] = { missing: 'not implemented' };
        continue;
      }
      if (failed) {
        out[step] = { missing: `not reached (${failed} failed)` };
        continue;
      }
      const trace = step === PROFILE ? path.join(REPO, `target/bench/parley-${step}.trace.json`) : undefined;
      if (trace) {
        fs.mkdirSync(path.dirname(trace), { recursive: true });
        await browser.startTracing(page, { path: trace, categories: TRACE_CATEGORIES });
      }
      await page.evaluate(() => {
        window.__stepStartAt = undefined;
        window.__stepDoneAt = undefined;
      });
      const started = performance.now();
      try {
        await action(page, data);
      } catch (e) {
        failed = step;
        const reason = (e as Error).message.split('\n')[0].slice(0, 120);
        out[step] = { missing: `could not: ${reason}` };
        console.log(`${client.name}, ${step}: ${(e as Error).message.split('\n').slice(0, 3).join(' ')}`);
        continue;
      } finally {
        if (trace) {
          await browser.stopTracing();
          console.log(`trace of ${step} written to ${path.relative(REPO, trace)} (DevTools, Performance, Load profile)`);
        }
      }
      // The form's time is the page's own: from navigation to the first frame with the field
      // ready; so is a step's that the client timed from its click (measure.ts), and the rest
      // (history, many actions) is timed from here.
      const ms =
        step === 'form' ? await page.evaluate(() => window.__formReadyAt!) : ((await stepTime(page)) ?? performance.now() - started);
      const busyAfter = await settle(page, traffic);
      const needed = step === 'form' ? await firstLoadKiB(page) : undefined;
      out[step] = { figures: { ms, busyAfter, ...traffic.take(needed), ...(await state(page, cdp, browser)) } };
    }
  } finally {
    await browser.close();
  }
  return out;
}

type Summary = Record<Step, { figures: Figures } | { missing: string }>;

function summarise(runs: Record<Step, Outcome>[]): Summary {
  const out = {} as Summary;
  for (const [step] of STEPS) {
    const outcomes = runs.map((r) => r[step]);
    const missing = outcomes.find((o): o is { missing: string } => 'missing' in o);
    if (missing) {
      out[step] = missing;
      continue;
    }
    const figures: Figures = {};
    for (const [figure] of FIGURES) {
      const values = outcomes.map((o) => ('figures' in o ? o.figures[figure] : undefined)).filter((v): v is number => v !== undefined);
      if (values.length) figures[figure] = median(values);
    }
    out[step] = { figures };
  }
  return out;
}

function format(figure: Figure, value: number): string {
  if (figure === 'longestTask' && value === 0) return '< 50';
  if (['domNodes', 'ms', 'longestTask', 'busyAfter'].includes(figure)) return String(Math.round(value));
  return value.toFixed(1);
}

function table(results: Record<string, Summary>): string {
  const names = Object.keys(results);
  // The ratio when there are two: Parley over Converse.js.
  const pair = names.length === 2;
  const head = `| step | figure | ${names.join(' | ')} |${pair ? ` ${names[0]}/${names[1]} |` : ''}`;
  const rule = `| --- | --- |${names.map(() => ' ---: |').join('')}${pair ? ' ---: |' : ''}`;
  const lines = [head, rule];
  const value = (s: Summary[Step], figure: Figure) => ('figures' in s ? s.figures[figure] : undefined);
  for (const [step, label] of STEPS) {
    for (const [index, [figure, figureLabel]] of FIGURES.entries()) {
      const cells = names.map((n) => {
        const s = results[n][step];
        // Why, once per step.
        if ('missing' in s) return index === 0 ? s.missing : '—';
        const v = value(s, figure);
        return v === undefined ? '' : format(figure, v);
      });
      let ratio = '';
      if (pair) {
        const [a, b] = names.map((n) => value(results[n][step], figure));
        // A longest task under 50 ms is not a figure: no ratio.
        if (a !== undefined && b && !(figure === 'longestTask' && (a === 0 || b === 0))) ratio = (a / b).toFixed(3);
      }
      lines.push(`| ${label} | ${figureLabel} | ${cells.join(' | ')} |${pair ? ` ${ratio} |` : ''}`);
    }
  }
  return lines.join('\n');
}

/** The floor under step (a) (floor.ts), and what it is as a share of Converse.js's time. */
function floorLine(floorMs: number, results: Record<string, Summary>): string {
  const converse = Object.entries(results).find(([name]) => name.startsWith('Converse'))?.[1].form;
  const theirs = converse && 'figures' in converse ? converse.figures.ms : undefined;
  const share = theirs ? `, ${(floorMs / theirs).toFixed(3)} of Converse.js's` : '';
  return `Floor of step a: Parley's sign-in page saved as a static page (its markup and stylesheet, no script), served and timed the same way: ${Math.round(floorMs)} ms${share}.`;
}

type Budgets = { firstLoadKiB: number; ratios: { step: Step; figure: Figure; max: number }[] };

/** scripts/budgets.sh: fails the run when a figure in budgets.json went past its limit. */
function checkBudgets(results: Record<string, Summary>): void {
  const budgets = JSON.parse(fs.readFileSync(path.join(__dirname, 'budgets.json'), 'utf8')) as Budgets;
  const [ours, theirs] = Object.keys(results).map((name) => results[name]);
  const broken: string[] = [];
  const figure = (summary: Summary | undefined, step: Step, f: Figure) => {
    const s = summary?.[step];
    return s && 'figures' in s ? s.figures[f] : undefined;
  };
  const firstLoad = figure(ours, 'form', 'httpIn');
  if (firstLoad === undefined || firstLoad > budgets.firstLoadKiB) {
    broken.push(`first load ${firstLoad?.toFixed(1) ?? 'not measured'} KiB, budget ${budgets.firstLoadKiB} KiB`);
  }
  for (const { step, figure: f, max } of budgets.ratios) {
    const a = figure(ours, step, f);
    const b = figure(theirs, step, f);
    if (a === undefined || !b) {
      broken.push(`${step} ${f}: no figure (Parley ${a}, Converse.js ${b})`);
    } else if (a / b > max) {
      broken.push(`${step} ${f}: Parley/Converse.js ${(a / b).toFixed(3)}, budget ${max}`);
    } else {
      console.log(`budget kept: ${step} ${f} ratio ${(a / b).toFixed(3)} <= ${max}`);
    }
  }
  for (const b of broken) console.log(`BUDGET BROKEN: ${b}`);
  expect(broken).toEqual([]);
}

/** Puts the account back as seeded before each run: Converse.js bookmarks a room it enters,
 * with autojoin, so without this its next run enters the big room at sign-in (inside step b)
 * and finds it entered already at step d. */
async function forgetBookmarks(data: DataSet): Promise<void> {
  const socket = await XmppSocket.connect();
  try {
    await socket.login(data.jid.split('@')[0], data.password);
    // XEP-0402's node and XEP-0048's, whichever the client wrote; a missing node is no error.
    for (const node of ['urn:xmpp:bookmarks:1', 'storage:bookmarks']) {
      const id = `forget-${node}`;
      await socket.iq(
        id,
        `<iq xmlns="jabber:client" type="set" id="${id}"><pubsub xmlns="http://jabber.org/protocol/pubsub#owner"><delete node="${node}"/></pubsub></iq>`,
      );
    }
    const id = 'forget-private';
    await socket.iq(id, `<iq xmlns="jabber:client" type="set" id="${id}"><query xmlns="jabber:iq:private"><storage xmlns="storage:bookmarks"/></query></iq>`);
  } finally {
    socket.close();
  }
}

test('Parley and Converse.js side by side', async () => {
  test.setTimeout(4 * 3_600_000);
  const room = `crowd@${MUC}`;
  let bots: MucPeer[] = [];
  const servers: { close(): Promise<void> }[] = [];
  try {
    console.log(`data set: ${CONTACTS} contacts, ${ROOMS} rooms, ${OCCUPANTS} occupants, ${ARCHIVED} archived messages; ${RUNS} runs after a warm-up`);
    bots = await joinBots(room, OCCUPANTS, 20);
    // The room's recent history, which entering replays.
    for (const [i, bot] of bots.slice(0, 20).entries()) bot.say(room, `history line ${i + 1}`);
    const data: DataSet = {
      jid: 'compare@localhost',
      password: 'roster-pw',
      contacts: CONTACTS,
      mucService: MUC,
      rooms: ROOMS + SEEDED_ROOMS,
      bigRoom: room,
      occupants: OCCUPANTS,
      // Seeded into the archive by the server, one second apart (mod_parley_seed).
      historyPeer: 'member00001@localhost',
      archived: ARCHIVED,
      firstArchived: 'archived message 1',
      lastArchived: `archived message ${ARCHIVED}`,
    };

    // scripts/profile.sh serves a build that keeps function names.
    const dist = path.resolve(REPO, process.env.PARLEY_BENCH_DIST ?? 'dist');
    const ownServer = await serveStatic({
      root: dist,
      port: PARLEY_PORT,
      files: {
        '/config.json': JSON.stringify({ default_domain: 'localhost', websocket_url: WEBSOCKET_URL }),
      },
    });
    servers.push(ownServer);
    // PARLEY_BENCH_CLIENTS=Parley measures one side only (while working on it).
    const wanted = PROFILE ? ['Parley'] : (process.env.PARLEY_BENCH_CLIENTS ?? 'Parley,Converse').split(',');
    const clients = [parley(ownServer.url)];
    if (wanted.some((w) => w.startsWith('Converse'))) {
      const converse = await startConverse();
      servers.push(converse);
      clients.push(converse.client);
    }
    const chosen = clients.filter((c) => wanted.some((w) => c.name.startsWith(w)));

    const results: Record<string, Summary> = {};
    const raw: Record<string, Record<Step, Outcome>[]> = {};
    const formTimes: Record<string, number[]> = {};
    for (const client of chosen) {
      raw[client.name] = [];
      for (let i = 0; i <= (PROFILE ? 0 : RUNS); i += 1) {
        await forgetBookmarks(data);
        const outcome = await run(client, data);
        console.log(`${client.name} run ${i}${i === 0 ? ' (warm-up, dropped)' : ''}: ${STEPS.map(([s]) => {
          const o = outcome[s];
          return `${s} ${'figures' in o ? Math.round(o.figures.ms ?? 0) + ' ms' : o.missing}`;
        }).join(', ')}`);
        if (i > 0) raw[client.name].push(outcome);
      }
      results[client.name] = summarise(raw[client.name]);
      const form = results[client.name].form;
      if (!PROFILE && 'figures' in form) {
        const times = raw[client.name].map((r) => ('figures' in r.form ? r.form.figures.ms : undefined)).filter((ms): ms is number => ms !== undefined);
        for (let i = times.length; i < FORM_RUNS; i += 1) times.push(await formReadyMs(client.url, client.loginField, base.use?.launchOptions));
        console.log(`${client.name}, step a in ${times.length} navigations: ${times.map(Math.round).join(', ')} ms`);
        formTimes[client.name] = times;
        form.figures.ms = median(times);
      }
    }
    if (PROFILE) return;
    const floorTimes = results.Parley ? await formFloor(ownServer.url, dist, FORM_RUNS, base.use?.launchOptions) : undefined;
    const floorMs = floorTimes && median(floorTimes);

    const cpu = os.cpus();
    const machine = `${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}`;
    const browserVersion = chromiumVersion ?? 'unknown';
    const header = [
      `Data: ${CONTACTS} contacts (R), ${ROOMS} rooms (M), ${OCCUPANTS} occupants (K), ${ARCHIVED} archived messages (H); median of ${RUNS} runs after a warm-up (step a's time: of ${FORM_RUNS} navigations).`,
      `Machine: ${machine}; Chromium ${browserVersion} headless; Prosody 0.12 on loopback; ${new Date().toISOString().slice(0, 10)}.`,
    ].join('\n');
    console.log(`\n${header}\n\n${table(results)}\n`);
    if (floorMs !== undefined) console.log(`${floorLine(floorMs, results)}\n`);
    const outDir = path.join(REPO, 'target/bench');
    fs.mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, 'compare.json');
    fs.writeFileSync(
      file,
      JSON.stringify(
        {
          date: new Date().toISOString(),
          machine,
          chromium: browserVersion,
          sizes: { contacts: CONTACTS, rooms: ROOMS, occupants: OCCUPANTS, archived: ARCHIVED, runs: RUNS },
          results,
          floor: floorTimes && { formMs: floorMs, times: floorTimes },
          formTimes,
          runs: raw,
        },
        null,
        2,
      ),
    );
    console.log(`figures written to ${path.relative(REPO, file)}`);
    if (process.env.PARLEY_BENCH_BUDGETS) checkBudgets(results);
  } finally {
    for (const bot of bots) bot.close();
    for (const server of servers) await server.close();
  }
});
