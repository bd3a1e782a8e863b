-- mod_parley_muc_list: disco#items on the MUC service lists every public room, in one reply.
-- Prosody 0.12.3 answers it from a cache that is filled piecemeal (after a restart it can list
-- 1 room out of 200); this answers from mod_muc's room storage plus the live rooms instead.
-- Load it on the MUC component. No XEP-0059 paging, like Prosody itself.

local st = require "util.stanza";
local jid_split = require "util.jid".split;

local muc = module:depends("muc");
-- mod_muc's own stores: the list of persistent rooms and each room's configuration.
local room_list = module:open_store("persistent");
local room_configs = module:open_store("config");

-- Rooms read from storage: jid -> { name = ..., public = ... }, or false for one with no data.
-- A room's stored copy only changes while it is live, so its entry goes when it becomes live
-- (and is read again once it is not); reading 2,000 files for every query would be slow.
local stored = {};

local function forget(event)
	stored[event.room.jid] = nil;
end
module:hook("muc-room-created", forget);
module:hook("muc-room-restored", forget);
module:hook("muc-room-destroyed", forget);
module:hook("parley-muc-rooms-seeded", function()
	stored = {};
end);

local function stored_room(room_jid)
	local entry = stored[room_jid];
	if entry == nil then
		local frozen, err = room_configs:get((jid_split(room_jid)));
		local data = frozen and frozen._data;
		if data then
			entry = { name = data.name; public = not data.hidden and not data.destroyed };
		else
			if err then
				module:log("warn", "Could not read room %s: %s", room_jid, err);
			end
			entry = false;
		end
		stored[room_jid] = entry;
	end
	return entry;
end

-- A locked room (just created, not yet configured) turns away everyone but its creator.
local function listed(room)
	local locked = room._data.locked;
	return room:get_public() and not room._data.destroyed and not (locked and os.time() < locked);
end

module:hook("iq-get/host/http://jabber.org/protocol/disco#items:query", function(event)
	local origin, stanza = event.origin, event.stanza;
	local node = stanza.tags[1].attr.node;
	if node and node ~= "" then return; end -- nodes are mod_disco's

	local items, seen = {}, {};
	for room in muc.live_rooms() do
		seen[room.jid] = true;
		if listed(room) then
			items[#items + 1] = { jid = room.jid; name = room:get_name() };
		end
	end
	local persistent, err = room_list:get(nil);
	if not persistent and err then
		module:log("error", "Could not read the list of persistent rooms: %s", err);
	end
	for room_jid in pairs(persistent or {}) do
		if not seen[room_jid] then
			seen[room_jid] = true;
			local entry = stored_room(room_jid);
			if entry and entry.public then
				items[#items + 1] = { jid = room_jid; name = entry.name };
			end
		end
	end
	table.sort(items, function(a, b) return a.jid < b.jid; end);

	local reply = st.reply(stanza):query("http://jabber.org/protocol/disco#items");
	for _, item in ipairs(items) do
		reply:tag("item", { jid = item.jid; name = item.name ~= "" and item.name or nil }):up();
	end
	origin.send(reply);
	return true;
end, 10); -- before mod_disco (0), which would ask mod_muc's cache
