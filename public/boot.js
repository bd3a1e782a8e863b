// Loads the WebAssembly app. A file of its own because the Content Security Policy allows no inline script.
// If loading fails (an old browser, a broken download), the page says so instead of staying blank;
// the app's own catalogs are not loaded yet, so the three languages are here.
import init from './app.js';

const CANNOT_START = {
  en: 'Parley could not start in this browser. Reload the page; if it keeps happening, use an up-to-date browser.',
  ru: 'Parley не удалось запустить в этом браузере. Перезагрузите страницу; если не поможет, обновите браузер.',
  fr: 'Parley n’a pas pu démarrer dans ce navigateur. Rechargez la page\u00a0; si cela se reproduit, utilisez un navigateur à jour.',
};

init({ module_or_path: new URL('app_bg.wasm', import.meta.url) }).catch((error) => {
  const lang = (navigator.language || 'en').slice(0, 2);
  const note = document.createElement('p');
  note.setAttribute('role', 'alert');
  note.setAttribute('data-testid', 'boot-error');
  note.className = 'boot-error';
  note.textContent = CANNOT_START[lang] || CANNOT_START.en;
  document.body.append(note);
  console.error('parley: the app did not start:', error);
});
