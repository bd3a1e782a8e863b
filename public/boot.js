// Loads the first page's WebAssembly (src/first), which asks for the app. A file of its own because the Content Security Policy allows no inline script.
// When the app cannot start, the page says why instead of staying blank: WebAssembly turned off
// (Tor Browser's "Safer" level, hardened browsers), or the bundle failed to load (an old browser,
// a broken download, a missing file). The app's own catalogs are not loaded yet, so the three
// languages are here.

const TEXTS = {
  noWasm: {
    en: 'Parley needs WebAssembly, which is turned off in this browser (for example by Tor Browser’s “Safer” or “Safest” security level, or a hardened setting). Allow JavaScript and WebAssembly for this site, or use another browser.',
    ru: 'Parley нужен WebAssembly, а в этом браузере он отключён (например, уровнем безопасности «Более безопасный» или «Наиболее безопасный» в Tor Browser или строгими настройками). Разрешите JavaScript и WebAssembly для этого сайта или откройте его в другом браузере.',
    fr: 'Parley a besoin de WebAssembly, désactivé dans ce navigateur (par exemple par le niveau de sécurité «\u00a0Plus sûr\u00a0» ou «\u00a0Le plus sûr\u00a0» de Tor Browser, ou un réglage renforcé). Autorisez JavaScript et WebAssembly pour ce site, ou utilisez un autre navigateur.',
  },
  cannotStart: {
    en: 'Parley could not start in this browser. Reload the page; if it keeps happening, use an up-to-date browser.',
    ru: 'Parley не удалось запустить в этом браузере. Перезагрузите страницу; если не поможет, обновите браузер.',
    fr: 'Parley n’a pas pu démarrer dans ce navigateur. Rechargez la page\u00a0; si cela se reproduit, utilisez un navigateur à jour.',
  },
};

function say(kind, testid) {
  const preferred = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en'];
  const lang = preferred.map((tag) => String(tag).slice(0, 2).toLowerCase()).find((code) => code in TEXTS[kind]) || 'en';
  const note = document.createElement('p');
  note.setAttribute('role', 'alert');
  note.setAttribute('data-testid', testid);
  note.setAttribute('lang', lang);
  note.className = 'boot-error';
  note.textContent = TEXTS[kind][lang];
  document.body.append(note);
}

/** Loads and starts the app, once however often it is asked for. */
let app;
function startApp() {
  // A dynamic import, so that a failed load of app.js itself lands in the catch as well.
  app ??= import('./app.js')
    .then(({ default: init }) => init({ module_or_path: new URL('app_bg.wasm', import.meta.url) }))
    .catch((error) => {
      // The first module's form (src/first) cannot sign in without the app.
      document.getElementById('first-page')?.remove();
      say('cannotStart', 'boot-error');
      console.error('parley: the app did not start:', error);
    });
}

if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
  say('noWasm', 'boot-no-wasm');
} else {
  // The first module (src/first) draws the sign-in page and calls startApp when the visit needs
  // the app; if it cannot load, the app starts as it did before there was one.
  // Compiled while first.js is imported rather than after it. Where compiling from the stream
  // fails (a server that does not say application/wasm), wasm-bindgen's own loading takes over.
  const firstWasm = new URL('first_bg.wasm', import.meta.url);
  const compiled =
    typeof WebAssembly.compileStreaming === 'function'
      ? WebAssembly.compileStreaming(fetch(firstWasm)).catch(() => firstWasm)
      : Promise.resolve(firstWasm);
  import('./first.js')
    .then(async ({ default: init, show }) => {
      await init({ module_or_path: await compiled });
      show(startApp);
    })
    .catch((error) => {
      console.error('parley: the first page did not load:', error);
      startApp();
    });
}
