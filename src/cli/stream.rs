//! Long listings written as their rows are read (issue 18): no list of every row in memory,
//! whatever the history. The JSON is byte for byte what `serde_json` printed for the whole
//! array before (pretty or compact), brackets and separators written by hand.

use std::io::{self, BufWriter, StdoutLock, Write};

use super::{CliError, CliResult};

/// Buffered standard output; a closed pipe (`| head`) ends the listing quietly.
pub struct Out {
    w: BufWriter<StdoutLock<'static>>,
    err: Option<io::Error>,
}

impl Out {
    /// Standard output, locked for the listing.
    pub fn stdout() -> Self {
        Out {
            w: BufWriter::with_capacity(64 * 1024, io::stdout().lock()),
            err: None,
        }
    }

    /// Runs `f` on the writer unless an earlier write failed; false once one has (stop).
    pub fn put(&mut self, f: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> bool {
        if self.err.is_none()
            && let Err(e) = f(&mut self.w)
        {
            self.err = Some(e);
        }
        self.err.is_none()
    }

    /// [`Out::put`] for a walk that stops at an error (the store's `for_each_*`): `Err`
    /// once the output has failed; the error itself is kept for [`Out::finish`].
    pub fn step(&mut self, f: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
        if self.put(f) {
            Ok(())
        } else {
            Err(io::Error::other("output closed"))
        }
    }

    /// Flushes; the first write error other than a closed pipe is the command's error.
    pub fn finish(mut self) -> CliResult {
        let r = match self.err.take() {
            Some(e) => Err(e),
            None => self.w.flush(),
        };
        match r {
            Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(CliError::Other(e.to_string())),
            _ => Ok(()),
        }
    }
}

/// A JSON array written one element at a time.
pub struct JsonArray {
    pretty: bool,
    count: usize,
}

impl JsonArray {
    /// `pretty` as `serde_json::to_string_pretty`, else as `Value::to_string`.
    pub fn new(pretty: bool) -> Self {
        JsonArray { pretty, count: 0 }
    }

    /// Writes one element (with the separator before it).
    pub fn push<T: serde::Serialize + ?Sized>(
        &mut self,
        out: &mut dyn Write,
        v: &T,
    ) -> io::Result<()> {
        let first = self.count == 0;
        self.count += 1;
        if self.pretty {
            out.write_all(if first { b"[\n  " } else { b",\n  " })?;
            let mut indented = Indent(out);
            let mut ser = serde_json::Serializer::with_formatter(
                &mut indented,
                serde_json::ser::PrettyFormatter::with_indent(b"  "),
            );
            serde::Serialize::serialize(v, &mut ser).map_err(io::Error::other)
        } else {
            out.write_all(if first { b"[" } else { b"," })?;
            serde_json::to_writer(out, v).map_err(io::Error::other)
        }
    }

    /// Closes the array and ends the line.
    pub fn finish(&self, out: &mut dyn Write) -> io::Result<()> {
        match (self.count, self.pretty) {
            (0, _) => out.write_all(b"[]\n"),
            (_, true) => out.write_all(b"\n]\n"),
            (_, false) => out.write_all(b"]\n"),
        }
    }
}

/// Indents every line after the first by two spaces: an element at depth one of a pretty
/// array (JSON text never holds a raw newline inside a string, so every newline is layout).
struct Indent<'a>(&'a mut dyn Write);

impl Write for Indent<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut rest = buf;
        while let Some(i) = rest.iter().position(|b| *b == b'\n') {
            self.0.write_all(&rest[..=i])?;
            self.0.write_all(b"  ")?;
            rest = &rest[i + 1..];
        }
        self.0.write_all(rest)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::JsonArray;

    fn streamed(items: &[serde_json::Value], pretty: bool) -> String {
        let mut out = Vec::new();
        let mut a = JsonArray::new(pretty);
        for v in items {
            a.push(&mut out, v).unwrap();
        }
        a.finish(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_streamed_array_is_byte_identical_to_serde_json() {
        let cases = [
            vec![],
            vec![json!({"a": 1})],
            vec![
                json!({"a": [1, {"b": null, "c": "x\ny \"q\""}], "e": {}, "f": []}),
                json!("s"),
                json!([[], [1, 2]]),
                json!({"t": {"u": {"v": "深夜"}}}),
            ],
        ];
        for items in cases {
            let whole = serde_json::Value::Array(items.clone());
            assert_eq!(
                streamed(&items, true),
                format!("{}\n", serde_json::to_string_pretty(&whole).unwrap())
            );
            assert_eq!(streamed(&items, false), format!("{whole}\n"));
        }
    }
}
