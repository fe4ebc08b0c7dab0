#!/usr/bin/env python3
"""Independent count of what `ib-recorder import` should report for a tree.

Written apart from the C++ readers (its own JSON parsing via json, its own
protobuf walking) from the rules in recorder/legacy/LEGACY_FORMATS.md, to
check legacy_fixture_test.cc's expected numbers:
    python3 tests/legacy/fixture_counts.py ../shared/fixtures/ib-stream-storage
Prints {"read", "imported", "duplicates", "skipped", "files"}. Handles the
shapes the fixtures have (v2 JSON, v2 protobuf, v3 JSON, v3 protobuf ticks);
it is a checker, not a second importer.
"""
import json, os, struct, sys

def varint(b, i):
    v = s = 0
    while True:
        c = b[i]; i += 1
        v |= (c & 0x7F) << s; s += 7
        if c < 0x80: return v, i

def fields(b):
    i, out = 0, []
    while i < len(b):
        tag, i = varint(b, i)
        f, wt = tag >> 3, tag & 7
        if wt == 0: v, i = varint(b, i)
        elif wt == 1: v = struct.unpack('<d', b[i:i+8])[0]; i += 8
        elif wt == 2:
            n, i = varint(b, i); v = b[i:i+n]; i += n
        elif wt == 5: v = b[i:i+4]; i += 4
        else: raise ValueError('wire type %d' % wt)
        out.append((f, v))
    return out

def frames(data, fmt):
    i, out = 0, []
    while i < len(data):
        if len(data) - i < 4: out.append(None); break
        n = struct.unpack(fmt, data[i:i+4])[0]
        if n > len(data) - i - 4: out.append(None); break
        out.append(data[i+4:i+4+n]); i += 4 + n
    return out

NAMES = {3: 'price', 4: 'size', 5: 'bid_price', 6: 'bid_size', 7: 'ask_price', 8: 'ask_size', 9: 'mid_price'}
V3 = {'p': 'price', 's': 'size', 'bp': 'bid_price', 'bs': 'bid_size', 'ap': 'ask_price', 'as': 'ask_size', 'mp': 'mid_price'}
REQUIRED = {'bid_ask': ['bid_price', 'bid_size', 'ask_price', 'ask_size'], 'last': ['price', 'size'],
            'all_last': ['price', 'size'], 'mid_point': ['mid_price']}
TT = {'bidask': 'bid_ask', 'last': 'last', 'alllast': 'all_last', 'midpoint': 'mid_point'}

def norm_tt(s):
    return TT.get(s.replace('_', '').lower())

def iso_us(s):
    from datetime import datetime
    d = datetime.fromisoformat(s.replace('Z', '+00:00'))
    return int(round(d.timestamp() * 1e6))

def judge(cid, tt, ts_us, stream_id, seq, values, skipped):
    """Returns the identity tuple, or None (and counts the skip reason)."""
    if cid in (0, '0', None): skipped['contract_id_zero'] = skipped.get('contract_id_zero', 0) + 1; return None
    t = norm_tt(tt or '')
    if t is None: skipped['unknown_tick_type'] = skipped.get('unknown_tick_type', 0) + 1; return None
    for k in REQUIRED[t]:
        if values.get(k) is None:
            r = 'mid_point_without_value' if t == 'mid_point' else 'missing_field'
            skipped[r] = skipped.get(r, 0) + 1; return None
    return (int(cid), t, ts_us, stream_id, seq) + tuple(float(values[k]) if values.get(k) is not None else None
                                                        for k in ['price', 'size', 'bid_price', 'bid_size',
                                                                  'ask_price', 'ask_size', 'mid_price'])

def main(root):
    read, seen, dup, skipped, files = 0, set(), 0, {}, {}
    paths = []
    for d, _, names in os.walk(root):
        for n in names:
            p = os.path.join(d, n)
            if n.endswith('.jsonl'): paths.append((0, p))
            elif n.endswith('.pb'): paths.append((1, p))
    for kind, p in sorted(paths):
        data = open(p, 'rb').read()
        ids = []
        if kind == 0:
            lines = [l for l in data.decode().split('\n') if l.strip()]
            layout = 'v3_json' if 'cid' in json.loads(lines[0]) else 'v2_json'
            for l in lines:
                read += 1
                m = json.loads(l)
                if 'cid' in m:
                    vals = {V3[k]: m[k] for k in V3 if k in m}
                    ids.append(judge(m['cid'], m['tt'], m['st'], '', None, vals, skipped))
                else:
                    d, md = m['data'], m.get('metadata', {})
                    vals = dict(d)
                    if 'midpoint' in d and 'mid_price' not in d: vals['mid_price'] = d['midpoint']
                    ids.append(judge(d.get('contract_id', md.get('contract_id')), d.get('tick_type', md.get('tick_type')),
                                     iso_us(m['timestamp']), m.get('stream_id', ''),
                                     d.get('sequence', md.get('sequence')), vals, skipped))
        else:
            le = frames(data, '<I')
            v3 = None in le or (le and len(le[0] or b'') == 0)
            layout = 'v3_protobuf' if v3 else 'v2_protobuf'
            for body in (frames(data, '>I') if v3 else le):
                read += 1
                if body is None: skipped['torn_record'] = skipped.get('torn_record', 0) + 1; continue
                f = fields(body)
                if v3:
                    g = {n: v for n, v in f}
                    vals = {V3[k]: g[n] for n, k in zip(range(10, 17), ['p', 's', 'bp', 'bs', 'ap', 'as', 'mp']) if n in g}
                    ids.append(judge(g.get(3, 0), g.get(4, b'').decode(), g.get(2, 0), '', None, vals, skipped))
                    continue
                g = dict(f)
                ts = dict(fields(g[3])); ts_us = ts.get(1, 0) * 1000000 + ts.get(2, 0) // 1000
                td = fields(g[4]); tdd = dict(td)
                meta = {}
                for n, v in f:
                    if n == 8:
                        e = dict(fields(v)); meta[e[1].decode()] = e[2].decode()
                vals = {NAMES[n]: v for n, v in td if n in NAMES}
                seq = tdd.get(12, int(meta['sequence']) if 'sequence' in meta else None)
                cid = tdd.get(1) or meta.get('contract_id', 0)
                tt = tdd.get(2, b'').decode() or meta.get('tick_type', '')
                ids.append(judge(cid, tt, ts_us, g.get(2, b'').decode(), seq, vals, skipped))
        files[layout] = files.get(layout, 0) + 1
        for i in ids:
            if i is None: continue
            if i in seen: dup += 1
            else: seen.add(i)
    print(json.dumps({'read': read, 'imported': len(seen), 'duplicates': dup, 'skipped': skipped, 'files': files},
                     sort_keys=True))

main(sys.argv[1])
