-- SPDX-License-Identifier: GPL-2.0
--
-- cbu.lua - Wireshark dissector for cbu, the Certificate-based Binding
-- Update (draft-qiu-mip6-certificated-binding-update-03) as cbu puts it on
-- the wire (Documentation/wire-format.md, uapi/linux/cbu_mh.h).
--
--   * MH type 11 (RFC 5096 experimental): every cbu subtype, its version,
--     its fixed body and its options.  Wireshark's own mipv6 dissector
--     still shows the Mobility Header's fixed part (mip6.*) first.
--   * Mobility option 18 (RFC 5096 experimental) in any MH, BU and BA
--     included: the cbu codes LT_EN, HoA, CERT, SIG and CN HoA.
--   * Every other MH type goes to Wireshark's mipv6 dissector untouched.
--
-- Install: into Wireshark's global Lua plugin folder (`tshark -G folders`,
-- "Global Lua Plugins"; `make install-userspace` does it), or for one run:
-- tshark -X lua_script:tools/wireshark/cbu.lua.  Display filters: cbu,
-- cbu.subtype, cbu.version, cbu.seq, cbu.opt.code, cbu.cert.subject...
-- Nothing here opens a sealed body: that needs k_HA or k_CN.

local MH_EXP = 11		-- CBU_MH_EXP
local MOPT_PAD1, MOPT_PADN, MOPT_AUTH, MOPT_CBU = 0, 1, 5, 18
local WIRE_VERSION = 1		-- CBU_WIRE_VERSION
local CERT_LEN = 144		-- CBU_CERT_LEN
local AEAD_NONCE, AEAD_TAG = 24, 16

local subtypes = {
	[1] = "REQ", [2] = "REP", [3] = "COOKIE0", [4] = "COOKIE1",
	[5] = "EXCH0", [6] = "EXCH1", [7] = "BC", [8] = "REQ_KEY",
	[9] = "EXCH0'", [10] = "EXCH1'", [11] = "NEWKEY", [12] = "TEST",
	[13] = "ALIVE", [14] = "FWD", [15] = "KEYS", [16] = "REQ_Cert",
	[17] = "REP_Cert", [18] = "REG", [19] = "REG_ACK", [20] = "REP_NAK",
	[21] = "KEYS_ACK",
}
local opt_codes = {
	[1] = "LT_EN", [2] = "HoA", [3] = "CERT", [4] = "SIG", [5] = "CN HoA",
	[6] = "NONCE", [7] = "DH", [8] = "HA",
}
-- The value length of each code (CERT: 1 to 254, any split).
local opt_value_len = { [1] = 2, [2] = 16, [4] = 64, [5] = 16, [6] = 16,
	[7] = 32, [8] = 16 }
local suites = { [1] = "suite 1 (Ed25519, X25519, HMAC-SHA256)" }
local cert_kinds = { [1] = "Cert_HA", [2] = "Cert_CN", [3] = "Cert_MN",
	[4] = "Cert_MAP" }

local cbu = Proto("cbu", "Certificate-based Binding Update")
-- Option 18 on its own, as the mip6.option table calls it.
local cbu_mopt = Proto("cbu_mopt", "CBU Mobility Option")

local F = {
	subtype = ProtoField.uint8("cbu.subtype", "Subtype", base.DEC, subtypes),
	version = ProtoField.uint8("cbu.version", "Version", base.DEC),
	suite = ProtoField.uint8("cbu.suite", "Crypto suite", base.DEC, suites),
	reserved = ProtoField.bytes("cbu.reserved", "Reserved"),
	c0 = ProtoField.bytes("cbu.c0", "C0 (cookie)"),
	c1 = ProtoField.bytes("cbu.c1", "C1 (cookie)"),
	n1 = ProtoField.bytes("cbu.n1", "N1"),
	n2 = ProtoField.bytes("cbu.n2", "N2"),
	n3 = ProtoField.bytes("cbu.n3", "N3"),
	ts = ProtoField.uint64("cbu.ts", "TS (seconds since the epoch)"),
	gx = ProtoField.bytes("cbu.gx", "g^x (X25519)"),
	gy = ProtoField.bytes("cbu.gy", "g^y (X25519)"),
	sig = ProtoField.bytes("cbu.sig", "Signature (Ed25519)"),
	seq = ProtoField.uint16("cbu.seq", "Seq#", base.DEC),
	lifetime = ProtoField.uint16("cbu.lifetime", "Lifetime (4 s units)"),
	lt_en = ProtoField.uint16("cbu.lt_en", "LT_EN (4 s units)"),
	bc_flag = ProtoField.uint8("cbu.bc.flag", "Flag", base.DEC,
				   { [1] = "confirm" }),
	test_flag = ProtoField.uint8("cbu.test.flag", "Test flag", base.DEC),
	mac = ProtoField.bytes("cbu.mac", "MAC"),
	hoa = ProtoField.ipv6("cbu.hoa", "Home address"),
	coa = ProtoField.ipv6("cbu.coa", "Care-of address"),
	sealed = ProtoField.bytes("cbu.sealed", "Sealed body"),
	nonce = ProtoField.bytes("cbu.sealed.nonce", "AEAD nonce"),
	ciphertext = ProtoField.bytes("cbu.sealed.ciphertext", "Ciphertext"),
	tag = ProtoField.bytes("cbu.sealed.tag", "Poly1305 tag"),
	pt_len = ProtoField.uint16("cbu.sealed.pt_len", "Plaintext length"),
	checksum_status = ProtoField.string("cbu.checksum.status",
					    "Checksum status"),
	-- Mobility options.
	opt = ProtoField.bytes("cbu.opt", "Mobility option"),
	opt_type = ProtoField.uint8("cbu.opt.type", "Type", base.DEC, {
		[0] = "Pad1", [1] = "PadN", [5] = "Binding Authorization Data",
		[18] = "CBU (experimental)" }),
	opt_len = ProtoField.uint8("cbu.opt.len", "Length", base.DEC),
	opt_code = ProtoField.uint8("cbu.opt.code", "Code", base.DEC, opt_codes),
	opt_lt_en = ProtoField.uint16("cbu.opt.lt_en", "LT_EN (4 s units)"),
	opt_hoa = ProtoField.ipv6("cbu.opt.hoa", "Home address"),
	opt_cn_hoa = ProtoField.ipv6("cbu.opt.cn_hoa", "CN home address"),
	opt_sig = ProtoField.bytes("cbu.opt.sig", "SIG_MN or SIG_MAP"),
	opt_nonce = ProtoField.bytes("cbu.opt.nonce", "N_MAP"),
	opt_dh = ProtoField.bytes("cbu.opt.dh", "X25519 public value"),
	opt_ha = ProtoField.ipv6("cbu.opt.ha", "Home agent"),
	opt_cert = ProtoField.bytes("cbu.opt.cert", "Certificate data"),
	opt_value = ProtoField.bytes("cbu.opt.value", "Value"),
	opt_auth = ProtoField.bytes("cbu.opt.auth", "MAC"),
	opt_pad = ProtoField.uint8("cbu.opt.pad", "Padding octets", base.DEC),
	-- A certificate (struct cbu_cert_wire).
	cert = ProtoField.bytes("cbu.cert", "Certificate"),
	cert_version = ProtoField.uint8("cbu.cert.version", "Version"),
	cert_suite = ProtoField.uint8("cbu.cert.suite", "Crypto suite",
				      base.DEC, suites),
	cert_kind = ProtoField.uint8("cbu.cert.kind", "Kind", base.DEC,
				     cert_kinds),
	cert_plen = ProtoField.uint8("cbu.cert.prefix_len", "Prefix length"),
	cert_from = ProtoField.uint64("cbu.cert.valid_from", "Valid from"),
	cert_until = ProtoField.uint64("cbu.cert.valid_until", "Valid until"),
	cert_subject = ProtoField.ipv6("cbu.cert.subject", "Subject"),
	cert_key = ProtoField.bytes("cbu.cert.public_key", "Public key"),
	cert_issuer = ProtoField.bytes("cbu.cert.issuer", "Issuer key id"),
	cert_sig = ProtoField.bytes("cbu.cert.signature", "Signature"),
}
local fields = {}
for _, f in pairs(F) do
	fields[#fields + 1] = f
end
cbu.fields = fields

local E = {
	short = ProtoExpert.new("cbu.short", "Shorter than its fixed body",
				expert.group.MALFORMED, expert.severity.ERROR),
	option = ProtoExpert.new("cbu.bad_option", "Bad mobility option",
				 expert.group.MALFORMED, expert.severity.ERROR),
	hdrlen = ProtoExpert.new("cbu.bad_hdrlen",
				 "Header length does not match the packet",
				 expert.group.MALFORMED, expert.severity.ERROR),
	version = ProtoExpert.new("cbu.bad_version", "Unknown cbu version",
				  expert.group.PROTOCOL, expert.severity.WARN),
	subtype = ProtoExpert.new("cbu.bad_subtype", "Unknown cbu subtype",
				  expert.group.PROTOCOL, expert.severity.WARN),
	rule = ProtoExpert.new("cbu.rule", "Breaks a cbu option rule",
			       expert.group.PROTOCOL, expert.severity.WARN),
	checksum = ProtoExpert.new("cbu.bad_checksum", "Bad MH checksum",
				   expert.group.CHECKSUM, expert.severity.WARN),
	truncated = ProtoExpert.new("cbu.truncated",
				    "Captured only in part: not dissected",
				    expert.group.UNDECODED, expert.severity.NOTE),
}
cbu.experts = { E.short, E.option, E.hdrlen, E.version, E.subtype, E.rule,
		E.checksum, E.truncated }

cbu.prefs.checksum = Pref.bool("Verify the MH checksum", true,
	"Sum the IPv6 pseudo-header (the Home Address option's address as " ..
	"source when there is one) and the Mobility Header")

local f_ipv6_src = Field.new("ipv6.src")
local f_ipv6_dst = Field.new("ipv6.dst")
local f_hao = Field.new("ipv6.opt.mipv6.home_address")

local function utc(secs)
	if secs < 0 or secs > 253402300799 then
		return "out of range"
	end
	return os.date("!%Y-%m-%d %H:%M:%S UTC", secs)
end

-- A 64-bit big-endian number of seconds as a field, with its date shown.
local function add_time(tree, field, range)
	local v = range:uint64()
	tree:add(field, range):append_text(" (" .. utc(v:tonumber()) .. ")")
end

-- A lifetime in 4-second units, shown in seconds too.
local function add_lifetime(tree, field, range)
	tree:add(field, range):append_text(
		string.format(" (%u s)", range:uint() * 4))
end

-- struct cbu_cert_wire, in tvb at off (CERT_LEN octets).
local function dissect_cert(tvb, off, tree, label)
	local t = tree:add(F.cert, tvb(off, CERT_LEN))
	t:set_text(label)
	t:add(F.cert_version, tvb(off, 1))
	t:add(F.cert_suite, tvb(off + 1, 1))
	t:add(F.cert_kind, tvb(off + 2, 1))
	t:add(F.cert_plen, tvb(off + 3, 1))
	t:add(F.reserved, tvb(off + 4, 4))
	add_time(t, F.cert_from, tvb(off + 8, 8))
	add_time(t, F.cert_until, tvb(off + 16, 8))
	t:add(F.cert_subject, tvb(off + 24, 16))
	t:add(F.cert_key, tvb(off + 40, 32))
	t:add(F.cert_issuer, tvb(off + 72, 8))
	t:add(F.cert_sig, tvb(off + 80, 64))
	t:append_text(string.format(": %s for %s/%u",
		cert_kinds[tvb(off + 2, 1):uint()] or "unknown kind",
		tostring(tvb(off + 24, 16):ipv6()), tvb(off + 3, 1):uint()))
end

-- One CBU option (type 18) at off in tvb, len its length octet.  The
-- caller checked that all len + 2 octets are there.  Returns the code and
-- the value's range (nil if none).
local function dissect_cbu_option(tvb, off, len, pinfo, tree)
	local t = tree:add(F.opt, tvb(off, len + 2))
	t:add(F.opt_type, tvb(off, 1))
	t:add(F.opt_len, tvb(off + 1, 1))
	if len < 1 then
		t:set_text("CBU option: no code")
		t:add_proto_expert_info(E.option, "CBU option of length 0: no code")
		return nil, nil
	end
	local code = tvb(off + 2, 1):uint()
	local name = opt_codes[code] or string.format("unknown code %u", code)
	t:set_text("CBU option: " .. name)
	t:add(F.opt_code, tvb(off + 2, 1))
	local vlen = len - 1
	local value = vlen > 0 and tvb(off + 3, vlen) or nil
	local want = opt_value_len[code]
	if (want and vlen ~= want) or (code == 3 and vlen == 0) then
		t:add_proto_expert_info(E.option, string.format(
			"%s with a value of %u octets (want %s)", name, vlen,
			want and tostring(want) or "1 to 254"))
		if value then
			t:add(F.opt_value, value)
		end
		return nil, nil
	end
	if code == 1 then
		add_lifetime(t, F.opt_lt_en, value)
	elseif code == 2 then
		t:add(F.opt_hoa, value)
		t:append_text(" " .. tostring(value:ipv6()))
	elseif code == 3 then
		t:add(F.opt_cert, value)
		if vlen == CERT_LEN then
			dissect_cert(tvb, off + 3, t, "Certificate")
		end
	elseif code == 4 then
		t:add(F.opt_sig, value)
	elseif code == 5 then
		t:add(F.opt_cn_hoa, value)
		t:append_text(" " .. tostring(value:ipv6()))
	elseif code == 6 then
		t:add(F.opt_nonce, value)
	elseif code == 7 then
		t:add(F.opt_dh, value)
	elseif code == 8 then
		t:add(F.opt_ha, value)
		t:append_text(" " .. tostring(value:ipv6()))
	elseif value then
		t:add(F.opt_value, value)
	end
	return code, value
end

-- Option 18 inside another MH (BU, BA...): the mip6.option table hands us
-- the option, type and length octets included, checked to fit.
function cbu_mopt.dissector(tvb, pinfo, tree)
	if tvb:len() < 2 or tvb:len() < tvb(1, 1):uint() + 2 then
		tree:add_proto_expert_info(E.option, "CBU option runs past the MH")
		return tvb:len()
	end
	dissect_cbu_option(tvb, 0, tvb(1, 1):uint(), pinfo, tree)
	return tvb:len()
end

-- The fixed bodies: name, length, and what to show of them.  Sealed
-- bodies are the AEAD nonce, the ciphertext of pt octets, the tag.
local function sealed(pt, what)
	return { len = AEAD_NONCE + pt + AEAD_TAG, pt = pt, what = what }
end
local bodies = {
	[1] = sealed(64, "e(k_HA, HoA, CoA, CN, N0)"),
	[2] = sealed(144, "e(k_HA, N0, k_BU, k_BA, k_EN, k_HA-next)"),
	[3] = { len = 8, { F.c0, 8 } },
	[4] = { len = 32, { F.c0, 8 }, { F.c1, 8 }, { F.n1, 16 } },
	[5] = { len = 160, { F.suite, 1 }, { F.reserved, 7 }, { F.c0, 8 },
		{ F.c1, 8 }, { F.n1, 16 }, { F.n2, 16 }, { F.ts, 8, add_time },
		{ F.gx, 32 }, { F.sig, 64 } },
	[6] = { len = 120, { F.suite, 1 }, { F.reserved, 7 }, { F.c0, 8 },
		{ F.c1, 8 }, { F.gy, 32 }, { F.sig, 64 } },
	[7] = { len = 4, { F.seq, 2 }, { F.bc_flag, 1 }, { F.reserved, 1 } },
	[8] = sealed(65, "e(k_HA, HoA, CoA, CN, N0', REQKEN)"),
	[9] = { len = 32, { F.n1, 16 }, { F.mac, 16 } },
	[10] = { len = 52, { F.n1, 16 }, { F.n2, 16 }, { F.mac, 16 },
		 { F.lt_en, 2, add_lifetime }, { F.reserved, 2 } },
	[11] = sealed(50, "e(k_HA, N0', k_EN-new, LT_EN)"),
	[12] = { len = 2, { F.test_flag, 1 }, { F.reserved, 1 } },
	[13] = { len = 16, { F.n3, 16 } },
	[14] = { len = 52, { F.hoa, 16 }, { F.coa, 16 }, { F.mac, 16 },
		 { F.seq, 2 }, { F.lifetime, 2, add_lifetime } },
	[15] = sealed(146, "e(k_CN, HoA, CN_HoA, N, k_BU, k_BA, k_EN, LT_EN)"),
	[16] = { len = 0 },
	[17] = { len = 0 },
	[18] = sealed(56, "e(k_HA, HoA, CoA, Seq#, lifetime, Ni)"),
	[19] = sealed(56, "e(k, HoA, Seq#, status, lifetime, Ni, Nr)"),
	[20] = sealed(40, "e(k_HA, N0, CN, reason)"),
	[21] = sealed(56, "e(k_CN, HoA, CN_HoA, N, status)"),
}
-- The options each subtype must carry (wire-format.md 3.5); none may
-- carry LT_EN, HoA, SIG, CN HoA, NONCE, DH or HA.
local AUTH = "Binding Authorization Data"
local must = { [5] = "CERT", [6] = "CERT", [17] = "CERT", [7] = AUTH }

local function dissect_body(tvb, sub, body, tree)
	local t = tree:add(tvb(8, body.len), "Fixed body")
	if body.pt then
		t:set_text("Sealed body: " .. body.what)
		t:add(F.nonce, tvb(8, AEAD_NONCE))
		t:add(F.ciphertext, tvb(8 + AEAD_NONCE, body.pt))
		t:add(F.tag, tvb(8 + AEAD_NONCE + body.pt, AEAD_TAG))
		t:add(F.pt_len, body.pt):set_generated()
		return
	end
	local off = 8
	for _, d in ipairs(body) do
		local r = tvb(off, d[2])
		if d[3] then
			d[3](t, d[1], r)
		else
			t:add(d[1], r)
		end
		off = off + d[2]
	end
	if sub == 7 then
		t:append_text(string.format(": Seq# %u", tvb(8, 2):uint()))
	end
end

-- The options of a type 11 message, from off to the MH's end.
local function dissect_options(tvb, off, mh_len, sub, pinfo, tree)
	local t = tree:add(tvb(off, mh_len - off), "Mobility options")
	local seen_auth, certs, has = false, {}, {}
	while off < mh_len do
		local typ = tvb(off, 1):uint()
		if typ == MOPT_PAD1 then
			local o = t:add(F.opt, tvb(off, 1))
			o:set_text("Pad1")
			o:add(F.opt_type, tvb(off, 1))
			off = off + 1
		else
			if off + 2 > mh_len then
				t:add_proto_expert_info(E.option,
					"Option header runs past the MH")
				return
			end
			local len = tvb(off + 1, 1):uint()
			if off + 2 + len > mh_len then
				t:add_proto_expert_info(E.option, string.format(
					"Option %u of length %u runs past the MH",
					typ, len))
				return
			end
			if seen_auth and typ ~= MOPT_PADN then
				t:add_proto_expert_info(E.option, string.format(
					"Option %u after the Binding Authorization Data",
					typ))
			end
			if typ == MOPT_CBU then
				local code, value = dissect_cbu_option(tvb, off, len,
								       pinfo, t)
				if code == 3 and value then
					certs[#certs + 1] = value
				end
				if code then
					has[opt_codes[code] or "?"] = true
				end
			elseif typ == MOPT_PADN then
				local o = t:add(F.opt, tvb(off, len + 2))
				o:set_text(string.format("PadN: %u octets", len + 2))
				o:add(F.opt_type, tvb(off, 1))
				o:add(F.opt_len, tvb(off + 1, 1))
				o:add(F.opt_pad, len + 2):set_generated()
			elseif typ == MOPT_AUTH then
				local o = t:add(F.opt, tvb(off, len + 2))
				o:set_text("Binding Authorization Data")
				o:add(F.opt_type, tvb(off, 1))
				o:add(F.opt_len, tvb(off + 1, 1))
				if len > 0 then
					o:add(F.opt_auth, tvb(off + 2, len))
				end
				if len ~= 16 then
					o:add_proto_expert_info(E.option, string.format(
						"MAC of %u octets (want 16)", len))
				end
				if off % 8 ~= 2 then
					o:add_proto_expert_info(E.option,
						"Binding Authorization Data not at 8n+2")
				end
				seen_auth = true
				has[AUTH] = true
			else
				-- Not cbu's: Wireshark's own option dissectors.
				local sub_tvb = tvb(off, len + 2):tvb()
				if not DissectorTable.get("mip6.option"):try(typ,
						sub_tvb, pinfo, t) then
					local o = t:add(F.opt, tvb(off, len + 2))
					o:set_text(string.format("Option %u", typ))
					o:add(F.opt_type, tvb(off, 1))
					o:add(F.opt_len, tvb(off + 1, 1))
				end
			end
			off = off + 2 + len
		end
	end
	-- A certificate in several CERT options, joined as the receiver does.
	if #certs > 1 then
		local joined = ByteArray.new()
		for _, r in ipairs(certs) do
			joined:append(r:bytes())
		end
		if joined:len() == CERT_LEN then
			dissect_cert(joined:tvb("Certificate"), 0, t,
				     "Certificate (from " .. #certs .. " CERT options)")
		end
	end
	if must[sub] and not has[must[sub]] then
		t:add_proto_expert_info(E.rule, subtypes[sub] .. " without its " ..
					must[sub] .. " option")
	end
	for _, name in ipairs({ "LT_EN", "HoA", "SIG", "CN HoA", "NONCE", "DH",
				"HA" }) do
		if has[name] then
			t:add_proto_expert_info(E.rule, subtypes[sub] ..
						" may not carry " .. name)
		end
	end
	if has.CERT and not must[sub] then
		t:add_proto_expert_info(E.rule, subtypes[sub] .. " may not carry CERT")
	end
	if has[AUTH] and must[sub] ~= AUTH then
		t:add_proto_expert_info(E.rule, subtypes[sub] ..
					" may not carry " .. AUTH)
	end
end

-- The last instance of a field that lies before the octet at pos of the
-- frame, and after the octet at after.
local function last_before(extractor, pos, after)
	local found
	for _, fi in ipairs({ extractor() }) do
		if fi.offset < pos and fi.offset > after then
			found = fi
		end
	end
	return found
end

-- RFC 6275 6.1.1: ones' complement sum over the pseudo-header and the MH;
-- good when the folded sum of all, checksum included, is 0xffff.
local function checksum_ok(tvb, mh_len)
	local pos = tvb:offset()
	local src = last_before(f_ipv6_src, pos, -1)
	local dst = last_before(f_ipv6_dst, pos, -1)
	if not src or not dst then
		return nil
	end
	local hao = last_before(f_hao, pos, src.offset)
	local sum = 0
	local function add(bytes)
		for i = 0, bytes:len() - 2, 2 do
			sum = sum + bytes:get_index(i) * 256 + bytes:get_index(i + 1)
		end
	end
	add((hao or src).range:bytes())
	add(dst.range:bytes())
	sum = sum + mh_len + 135
	add(tvb(0, mh_len):bytes())
	while sum > 0xffff do
		sum = sum % 0x10000 + math.floor(sum / 0x10000)
	end
	return sum == 0xffff
end

local ip_proto = DissectorTable.get("ip.proto")
local mipv6 = ip_proto:get_dissector(135)
local mip6_option = DissectorTable.get("mip6.option")

function cbu.dissector(tvb, pinfo, tree)
	-- Wireshark's dissector first: the MH's fixed part, every type but
	-- cbu's in full (option 18 comes back to cbu_mopt).  What it finds
	-- malformed it marks so itself; call() then raises a Lua error, which
	-- would only add a second mark.
	local ok, done = pcall(mipv6.call, mipv6, tvb, pinfo, tree)
	if not ok then
		return tvb:len()
	end
	if tvb:len() < 8 or tvb(2, 1):uint() ~= MH_EXP then
		return done
	end
	local mh_len = (tvb(1, 1):uint() + 1) * 8
	local sub = tvb(6, 1):uint()
	local name = subtypes[sub]
	pinfo.cols.protocol = "CBU"
	pinfo.cols.info = "CBU " .. (name or string.format("subtype %u", sub))
	local t = tree:add(cbu, tvb(0, math.min(mh_len, tvb:len())))
	t:append_text(": " .. (name or "unknown subtype"))
	local ts = t:add(F.subtype, tvb(6, 1))
	local tv = t:add(F.version, tvb(7, 1))
	-- The checksum covers what the IPv6 payload length says is the MH.
	local whole = mh_len == tvb:reported_len()
	if not whole then
		t:add_proto_expert_info(E.hdrlen, string.format(
			"Header length says %u octets, the packet has %u",
			mh_len, tvb:reported_len()))
		mh_len = math.min(mh_len, tvb:reported_len())
	end
	if mh_len > tvb:len() then
		t:add_proto_expert_info(E.truncated)
		return done
	end
	if not name then
		ts:add_proto_expert_info(E.subtype)
		return done
	end
	if tvb(7, 1):uint() ~= WIRE_VERSION then
		tv:add_proto_expert_info(E.version, string.format(
			"Version %u: cbu speaks version %u", tvb(7, 1):uint(),
			WIRE_VERSION))
		return done
	end
	if cbu.prefs.checksum and whole then
		local ok = checksum_ok(tvb, mh_len)
		if ok ~= nil then
			local c = t:add(F.checksum_status, ok and "good" or "bad")
			c:set_generated()
			if not ok then
				c:add_proto_expert_info(E.checksum)
			end
		end
	end
	local body = bodies[sub]
	if 8 + body.len > mh_len then
		t:add_proto_expert_info(E.short, string.format(
			"%s needs %u octets of fixed body, has %u", name, body.len,
			mh_len - 8))
		return done
	end
	if body.len > 0 then
		dissect_body(tvb, sub, body, t)
	end
	if 8 + body.len < mh_len then
		dissect_options(tvb, 8 + body.len, mh_len, sub, pinfo, t)
	elseif must[sub] then
		t:add_proto_expert_info(E.rule, name .. " without its " ..
					must[sub] .. " option")
	end
	return done
end

ip_proto:add(135, cbu)
mip6_option:add(MOPT_CBU, cbu_mopt)
