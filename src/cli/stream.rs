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
            let mut ser = serde_json::Serializer::with_formatter(&mut *out, Nested::default());
            v.serialize(&mut ser).map_err(io::Error::other)
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

/// `serde_json`'s pretty layout (two spaces) for a value one level down in a pretty array:
/// its inner lines indented one level more. Before, the element's text passed through a
/// writer that searched every write for newlines, a tenth of a long listing's time
/// (issue 18). Each method is `PrettyFormatter`'s with the depth starting at one.
struct Nested {
    depth: usize,
    has_value: bool,
}

impl Default for Nested {
    fn default() -> Self {
        Nested {
            depth: 1,
            has_value: false,
        }
    }
}

impl Nested {
    fn indent<W: ?Sized + Write>(&self, w: &mut W) -> io::Result<()> {
        for _ in 0..self.depth {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(bracket)
    }

    fn item<W: ?Sized + Write>(&self, w: &mut W, first: bool) -> io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
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
