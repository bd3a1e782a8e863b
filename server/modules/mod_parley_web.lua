-- mod_parley_web: serves the Parley web app from the same HTTPS origin as the websocket.
--
--   GET /                          the built bundle (index.html), from parley_web_dir
--   GET /config.json               {"default_domain", "websocket_url"}, made from this config
--   GET /.well-known/host-meta     XEP-0156 discovery, XRD
--   GET /.well-known/host-meta.json  XEP-0156 discovery, JSON
--
-- Every HTTP response of this server also carries the security headers below
-- (CSP, nosniff, no referrer), the websocket's and error pages' included.
-- The file serving itself (path sanitising, ETags, no directory listing) is Prosody's net.http.files.

module:depends("http");

local server = require "net.http.server";
local fileserver = require "net.http.files";
local json = require "util.json";
local xml_escape = require "util.stanza".xml_escape;

local web_dir = module:get_option_path("parley_web_dir", "dist", "config");
local frame_ancestors = module:get_option_string("parley_frame_ancestors", "'self'");
local websocket_url_option = module:get_option_string("parley_websocket_url");

local csp = table.concat({
	"default-src 'self'";
	"script-src 'self' 'wasm-unsafe-eval'";
	"style-src 'self'";
	"connect-src 'self' wss:";
	"img-src 'self' https: data: blob:";
	"frame-ancestors " .. frame_ancestors;
	"base-uri 'none'";
	"form-action 'self'";
}, "; ");

local mime_types = setmetatable({
	html = "text/html; charset=utf-8";
	js = "text/javascript; charset=utf-8";
	mjs = "text/javascript; charset=utf-8";
	css = "text/css; charset=utf-8";
	json = "application/json";
	wasm = "application/wasm";
	png = "image/png";
	svg = "image/svg+xml";
	ico = "image/x-icon";
	webp = "image/webp";
	woff2 = "font/woff2";
	txt = "text/plain; charset=utf-8";
	webmanifest = "application/manifest+json";
}, { __index = function () return "application/octet-stream"; end });

local serve_file = fileserver.serve({
	path = web_dir;
	mime_map = mime_types;
	index_files = { "index.html" };
	directory_index = false;
	cache_size = 64;
	cache_max_file_size = 64 * 1024;
});

module:wrap_object_event(server._events, false, function (handlers, event_name, event_data)
	local response = event_data.response;
	if response and response.headers then
		local headers = response.headers;
		headers.content_security_policy = csp;
		headers.x_content_type_options = "nosniff";
		headers.referrer_policy = "no-referrer";
	end
	return handlers(event_name, event_data);
end);

local function websocket_url()
	if websocket_url_option then return websocket_url_option; end
	-- mod_http knows the active HTTPS port and the websocket's mount path.
	return (module:http_url("websocket", "/xmpp-websocket"):gsub("^http", "ws"));
end

local function no_cache(response, content_type)
	response.headers.content_type = content_type;
	response.headers.cache_control = "no-cache";
end

local function config_json(event)
	no_cache(event.response, "application/json");
	return json.encode({ default_domain = module.host; websocket_url = websocket_url() });
end

local function host_meta_xml(event)
	no_cache(event.response, "application/xrd+xml; charset=utf-8");
	return "<?xml version='1.0' encoding='utf-8'?>\n"
		.. "<XRD xmlns='http://docs.oasis-open.org/ns/xri/xrd-1.0'>\n"
		.. "  <Link rel='urn:xmpp:alt-connections:websocket' href='" .. xml_escape(websocket_url()) .. "'/>\n"
		.. "</XRD>\n";
end

local function host_meta_json(event)
	no_cache(event.response, "application/json");
	return json.encode({ links = { { rel = "urn:xmpp:alt-connections:websocket"; href = websocket_url() } } });
end

-- app-<16 hex>.js, app_bg-<16 hex>.wasm, parley-<16 hex>.css, boot-<16 hex>.js
local function is_hashed_asset(path)
	for _, ext in ipairs({ "js", "wasm", "css" }) do
		if path:match("%-" .. string.rep("%x", 16) .. "%." .. ext .. "$") then
			return true;
		end
	end
	return false;
end

local function static(event)
	local path = event.request.path;
	-- Headers first: net.http.files sends the response itself. Assets named with their content's
	-- hash (scripts/fingerprint.sh) never change; everything else is revalidated.
	if is_hashed_asset(path) then
		event.response.headers.cache_control = "public, max-age=31536000, immutable";
	else
		event.response.headers.cache_control = "no-cache";
	end
	local result = serve_file(event, path);
	-- A client-side route (no file extension) gets the app itself.
	if result == 404 and not path:match("%.[^/]*$") then
		result = serve_file(event, "/");
	end
	return result;
end

module:provides("http", {
	name = "parley_web";
	default_path = "/";
	route = {
		["GET /config.json"] = config_json;
		["GET /.well-known/host-meta"] = host_meta_xml;
		["GET /.well-known/host-meta.json"] = host_meta_json;
		["GET /*"] = static;
	};
});
