// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Device Identification VPD page (SPC-4 §7.8.6) and the two WWIDs Linux
 * derives from it: udev scsi_id's ID_SERIAL, which multipath-tools groups
 * paths by (uid_attribute ID_SERIAL), and the kernel's sysfs wwid. The orders
 * follow systemd's scsi_id (id_search_list) and the kernel's
 * scsi_vpd_lun_id() (designator_prio, since Linux 5.11).
 */
#include <errno.h>
#include <string.h>

#include "core/cursor.h"
#include "iscsi/vpd.h"

int scsi_parse_devid(const uint8_t *buf, size_t len, struct scsi_devid *out, struct sr_error *err)
{
	struct cursor c = cursor_make(buf, len), page;
	uint8_t b0, code;
	uint16_t plen;

	memset(out, 0, sizeof(*out));
	if (!cursor_u8(&c, &b0) || !cursor_u8(&c, &code) || !cursor_be16(&c, &plen))
		return sr_fail(err, EPROTO, "Device Identification page shorter than its header");
	if (code != 0x83)
		return sr_fail(err, EPROTO, "asked for VPD page 0x83, got 0x%02x", code);
	out->qualifier = b0 >> 5;
	out->device_type = b0 & 0x1f;
	if (!cursor_sub(&c, plen, &page))
		return sr_fail(err, EPROTO, "Device Identification page claims %u bytes, %zu arrived",
			       plen, c.rem);
	while (page.rem) {
		struct scsi_designator d;
		uint8_t h0, h1, dlen;
		size_t at = (size_t)(page.p - buf);

		if (!cursor_u8(&page, &h0) || !cursor_u8(&page, &h1) || !cursor_skip(&page, 1) ||
		    !cursor_u8(&page, &dlen))
			return sr_fail(err, EPROTO, "designation descriptor at byte %zu cut short", at);
		if (dlen > page.rem)
			return sr_fail(err, EPROTO,
				       "designation descriptor at byte %zu claims %u bytes, the page has %zu",
				       at, dlen, page.rem);
		d.protocol = h0 >> 4;
		d.code_set = h0 & 0x0f;
		d.piv = h1 & 0x80;
		d.association = (h1 >> 4) & 3;
		d.type = h1 & 0x0f;
		d.len = dlen;
		d.id = page.p;
		cursor_skip(&page, dlen);
		if (out->n < SCSI_DESIGNATORS_MAX)
			out->d[out->n++] = d;
		else
			out->dropped++;
	}
	return 0;
}

const char *scsi_desig_type_name(uint8_t type)
{
	static const char *const names[] = {
		"vendor", "t10", "eui-64", "naa", "relative-port", "port-group",
		"lu-group", "md5", "name",
	};

	return type < sizeof(names) / sizeof(names[0]) ? names[type] : NULL;
}

const char *scsi_code_set_name(uint8_t code_set)
{
	switch (code_set) {
	case SCSI_CODE_BINARY: return "binary";
	case SCSI_CODE_ASCII: return "ascii";
	case SCSI_CODE_UTF8: return "utf-8";
	default: return NULL;
	}
}

static const char hex[] = "0123456789abcdef";

/* ---- udev ------------------------------------------------------------------------------------ */

/* scsi_id's serial buffer, NUL included (MAX_SERIAL_LEN). */
#define UDEV_SERIAL_LEN 256

/*
 * The length of a valid UTF-8 sequence of two bytes or more at s (NUL-
 * terminated), 0 otherwise: what udev keeps of non-ASCII bytes.
 */
static size_t utf8_seq(const unsigned char *s)
{
	size_t n, i;
	uint32_t ch;

	if ((s[0] & 0xe0) == 0xc0)
		n = 2, ch = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, ch = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, ch = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		ch = ch << 6 | (s[i] & 0x3f);
	}
	/* the shortest form only, no surrogates, noncharacters or values past U+10FFFF */
	if ((n == 2 && ch < 0x80) || (n == 3 && ch < 0x800) || (n == 4 && ch < 0x10000) ||
	    ch >= 0x110000 || (ch & 0xfffff800) == 0xd800 || (ch >= 0xfdd0 && ch <= 0xfdef) ||
	    (ch & 0xfffe) == 0xfffe)
		return 0;
	return n;
}

static bool udev_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/*
 * What scsi_id --export makes of a raw serial (a C string): leading and
 * trailing whitespace dropped, each inner run one '_' (of the first 255
 * characters), then every character udev does not allow in a name made '_'
 * (letters, digits, "#+-.:=@_", "\x" escapes and valid UTF-8 stay).
 */
static void udev_clean(const char *raw, char out[SCSI_WWID_MAX])
{
	const size_t max = UDEV_SERIAL_LEN - 1;
	size_t i = strspn(raw, " \t\n\r"), j = 0;
	bool space = false;

	for (; j < max && i < max && raw[i]; i++) {
		if (udev_space(raw[i])) {
			space = true;
			continue;
		}
		if (space) {
			if (j + 1 >= max)
				break;
			out[j++] = '_';
			space = false;
		}
		out[j++] = raw[i];
	}
	out[j] = '\0';
	for (i = 0; out[i];) {
		unsigned char ch = (unsigned char)out[i];
		size_t n;

		if ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    strchr("#+-.:=@_", ch)) {
			i++;
		} else if (ch == '\\' && out[i + 1] == 'x') {
			i += 2;
		} else if ((n = utf8_seq((const unsigned char *)out + i)) > 0) {
			i += n;
		} else {
			out[i++] = '_';
		}
	}
}

/* scsi_id wants the whole 8 and 16 bytes, with no NUL among them. */
static bool vendor_model_ok(const uint8_t *vendor, const uint8_t *product)
{
	return vendor && product && !memchr(vendor, 0, 8) && !memchr(product, 0, 16);
}

/* id_search_list, less its first row (the target port group, which names no LUN). */
static const struct {
	uint8_t type;
	int naa;		/* -1: any */
	uint8_t code_set;
} udev_order[] = {
	{ SCSI_DESIG_NAA, 6, SCSI_CODE_BINARY },
	{ SCSI_DESIG_NAA, 6, SCSI_CODE_ASCII },
	{ SCSI_DESIG_NAA, 5, SCSI_CODE_BINARY },
	{ SCSI_DESIG_NAA, 5, SCSI_CODE_ASCII },
	{ SCSI_DESIG_NAA, -1, SCSI_CODE_BINARY },
	{ SCSI_DESIG_NAA, -1, SCSI_CODE_ASCII },
	{ SCSI_DESIG_EUI64, -1, SCSI_CODE_BINARY },
	{ SCSI_DESIG_EUI64, -1, SCSI_CODE_ASCII },
	{ SCSI_DESIG_T10, -1, SCSI_CODE_BINARY },
	{ SCSI_DESIG_T10, -1, SCSI_CODE_ASCII },
	{ SCSI_DESIG_VENDOR, -1, SCSI_CODE_BINARY },
	{ SCSI_DESIG_VENDOR, -1, SCSI_CODE_ASCII },
};

/* The raw serial of d for row r, or false when scsi_id would pass d over. */
static bool udev_try(const struct scsi_designator *d, unsigned r, const uint8_t *vendor,
		     const uint8_t *product, char raw[UDEV_SERIAL_LEN])
{
	size_t need, j = 0;

	if (d->association != SCSI_ASSOC_LU || d->type != udev_order[r].type ||
	    d->code_set != udev_order[r].code_set)
		return false;
	if (udev_order[r].naa >= 0 && (d->len == 0 || d->id[0] >> 4 != udev_order[r].naa))
		return false;
	need = (d->code_set == SCSI_CODE_ASCII ? d->len : 2 * (size_t)d->len) + 2;
	if (d->type == SCSI_DESIG_VENDOR) {
		need += 24;
		if (!vendor_model_ok(vendor, product))
			return false;
	}
	if (need > UDEV_SERIAL_LEN)
		return false;
	raw[j++] = hex[d->type];
	if (d->type == SCSI_DESIG_VENDOR) {
		memcpy(raw + j, vendor, 8);
		memcpy(raw + j + 8, product, 16);
		j += 24;
	}
	for (size_t i = 0; i < d->len; i++) {
		if (d->code_set == SCSI_CODE_ASCII) {
			raw[j++] = (char)d->id[i];
		} else {
			raw[j++] = hex[d->id[i] >> 4];
			raw[j++] = hex[d->id[i] & 15];
		}
	}
	raw[j] = '\0';
	return true;
}

int scsi_wwid_udev(const struct scsi_devid *id, const uint8_t *vendor, const uint8_t *product,
		   char out[SCSI_WWID_MAX])
{
	char raw[UDEV_SERIAL_LEN];

	out[0] = '\0';
	for (unsigned r = 0; r < sizeof(udev_order) / sizeof(udev_order[0]); r++) {
		for (unsigned i = 0; i < id->n; i++) {
			if (udev_try(&id->d[i], r, vendor, product, raw)) {
				udev_clean(raw, out);
				return 0;
			}
		}
	}
	return -ENOENT;
}

int scsi_wwid_udev_serial(const uint8_t *page80, size_t len, const uint8_t *vendor,
			  const uint8_t *product, char out[SCSI_WWID_MAX], struct sr_error *err)
{
	char raw[UDEV_SERIAL_LEN];
	size_t n;

	out[0] = '\0';
	if (len < 4)
		return sr_fail(err, EPROTO, "Unit Serial Number page shorter than its header");
	if (page80[1] != 0x80)
		return sr_fail(err, EPROTO, "asked for VPD page 0x80, got 0x%02x", page80[1]);
	/* scsi_id reads the low byte of the page length only */
	n = page80[3];
	if (n > len - 4)
		return sr_fail(err, EPROTO, "Unit Serial Number page claims %zu bytes, %zu arrived", n, len - 4);
	if (!vendor_model_ok(vendor, product))
		return sr_fail(err, EINVAL, "no vendor and product to put before the serial number");
	/* scsi_id takes 25 + n == 256 too, and then writes its NUL past its buffer */
	if (1 + 24 + n + 1 > UDEV_SERIAL_LEN)
		return sr_fail(err, ENOSPC, "a serial number of %zu bytes is longer than udev takes", n);
	raw[0] = 'S';
	memcpy(raw + 1, vendor, 8);
	memcpy(raw + 9, product, 16);
	memcpy(raw + 25, page80 + 4, n);
	raw[25 + n] = '\0';
	udev_clean(raw, out);
	return 0;
}

/* ---- the kernel ------------------------------------------------------------------------------ */

static int kernel_prio(const struct scsi_designator *d)
{
	if (d->association != SCSI_ASSOC_LU || d->len == 0)
		return 0;
	switch (d->type) {
	case SCSI_DESIG_NAME:
		return 9;
	case SCSI_DESIG_NAA:
		/*
		 * The kernel's table: 6 registered extended, 5 registered,
		 * 3 locally assigned; it names 4 "extended", which SPC calls
		 * reserved, and gives IEEE extended (2) nothing.
		 */
		switch (d->id[0] >> 4) {
		case 6: return 8;
		case 5: return 5;
		case 4: return 4;
		case 3: return 1;
		default: return 0;
		}
	case SCSI_DESIG_EUI64:
		return d->len == 16 ? 7 : d->len == 12 ? 6 : d->len == 8 ? 3 : 0;
	case SCSI_DESIG_T10:
		return 1;
	default:
		return 0;
	}
}

/* The kernel's printable set for %pE: ASCII 0x20-0x7e and Latin-1 0xa0-0xff. */
static size_t kernel_escape(char *o, uint8_t c)
{
	static const char esc[][2] = {
		{ '\n', 'n' }, { '\r', 'r' }, { '\t', 't' }, { '\v', 'v' }, { '\f', 'f' },
		{ '\a', 'a' }, { 0x1b, 'e' }, { '\0', '0' },
	};

	if ((c >= 0x20 && c < 0x7f) || c >= 0xa0) {
		o[0] = (char)c;
		return 1;
	}
	for (size_t i = 0; i < sizeof(esc) / sizeof(esc[0]); i++) {
		if (c == (uint8_t)esc[i][0]) {
			o[0] = '\\';
			o[1] = esc[i][1];
			return 2;
		}
	}
	o[0] = '\\';
	o[1] = (char)('0' + (c >> 6));
	o[2] = (char)('0' + ((c >> 3) & 7));
	o[3] = (char)('0' + (c & 7));
	return 4;
}

static void kernel_hex(char *o, const char *prefix, const uint8_t *p, size_t n)
{
	size_t j = strlen(prefix);

	memcpy(o, prefix, j);
	for (size_t i = 0; i < n; i++) {
		o[j++] = hex[p[i] >> 4];
		o[j++] = hex[p[i] & 15];
	}
	o[j] = '\0';
}

int scsi_wwid_sysfs(const struct scsi_devid *id, char out[SCSI_SYSFS_WWID_MAX])
{
	int cur_prio = 0;
	size_t cur_len = 0;
	bool have = false;

	out[0] = '\0';
	for (unsigned i = 0; i < id->n; i++) {
		const struct scsi_designator *d = &id->d[i];
		int prio = kernel_prio(d);
		size_t j;

		/* a later designator of the same rank wins, as in the kernel's walk */
		if (prio == 0 || cur_prio > prio)
			continue;
		switch (d->type) {
		case SCSI_DESIG_T10:
			if (cur_len > d->len)
				continue;
			memcpy(out, "t10.", 4);
			j = 4;
			for (size_t k = 0; k < d->len; k++)
				j += kernel_escape(out + j, d->id[k]);
			out[j] = '\0';
			have = true;
			break;
		case SCSI_DESIG_EUI64:
			kernel_hex(out, "eui.", d->id, d->len);
			have = true;
			break;
		case SCSI_DESIG_NAA:
			/* other lengths take the rank but leave the string as it was */
			if (d->len == 8 || d->len == 16) {
				kernel_hex(out, "naa.", d->id, d->len);
				have = true;
			}
			break;
		case SCSI_DESIG_NAME:
			if (cur_len > d->len)
				continue;
			/* copied as it is; it ends at its NUL padding here */
			j = strnlen((const char *)d->id, d->len);
			memcpy(out, d->id, j);
			out[j] = '\0';
			have = true;
			break;
		}
		cur_prio = prio;
		cur_len = d->len;
	}
	return have && out[0] ? 0 : -ENOENT;
}
