// Loads the WebAssembly app. A file of its own because the Content Security Policy allows no inline script.
import init from './app.js';

init({ module_or_path: new URL('app_bg.wasm', import.meta.url) });
