#!/usr/bin/env python3
"""Lists the Rust functions longer than LIMIT lines (default 80, signature to closing brace,
blank lines and comments included) under DIR (default src/), longest first. `#[cfg(test)]`
items and `tests.rs` files are left out. Braces inside one-line strings, chars and `//`
comments are ignored; a multi-line string with braces may fool it.

    python3 contrib/fn-lengths.py [LIMIT] [DIR]
"""
import re, sys, pathlib
limit = int(sys.argv[1]) if len(sys.argv) > 1 else 80
root = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else 'src')
out = []
for p in sorted(root.rglob('*.rs')):
    if p.name == 'tests.rs':
        continue
    raw = p.read_text().splitlines()
    def clean(l):
        l = re.sub(r"'(\\.|[^'\\])'", "''", l)          # char literals
        l = re.sub(r'"(\\.|[^"\\])*"', '""', l)          # one-line strings
        l = re.sub(r'//.*', '', l)                           # comments
        return l
    lines = [clean(l) for l in raw]
    skip_until = -1
    i = 0
    while i < len(lines):
        l = lines[i]
        if re.match(r'\s*#\[cfg\(test\)\]', l):
            # skip the item that follows
            j = i + 1
            depth = 0; started = False
            while j < len(lines):
                depth += lines[j].count('{') - lines[j].count('}')
                if '{' in lines[j]: started = True
                if started and depth <= 0: break
                if not started and lines[j].rstrip().endswith(';'): break
                j += 1
            i = j + 1
            continue
        m = re.match(r'\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?fn\s+(\w+)', l)
        if m:
            name = m.group(6)
            j = i; depth = 0; started = False
            while j < len(lines):
                s = lines[j]
                depth += s.count('{') - s.count('}')
                if '{' in s: started = True
                if not started and s.rstrip().endswith(';'): break
                if started and depth <= 0: break
                j += 1
            n = j - i + 1
            if started and n > limit:
                out.append((n, f'{p}:{i+1}', name))
            i += 1
            continue
        i += 1
for n, loc, name in sorted(out, reverse=True):
    print(f'{n:4d} {loc} {name}')
