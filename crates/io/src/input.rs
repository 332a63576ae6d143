//! Inputs: turning the paths a user gives into an ordered list of files
//! (walking directories), and opening one as a decompressed byte stream.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use flate2::read::MultiGzDecoder;
use tempfile::TempPath;

use crate::error::IoError;
use crate::format::{Compression, InputFormat};

/// Read buffer size: large enough that per-call overhead vanishes on big
/// corpora, small enough not to matter per open file.
const BUFFER_BYTES: usize = 256 * 1024;

/// How much of standard input's content is looked at to tell its format.
const SNIFF_BYTES: usize = 64 * 1024;

/// One input file (or standard input), as found by [`discover`].
#[derive(Debug, Clone)]
pub struct Input {
    location: Location,
    /// The path as the user gave it (joined with the walk for directory
    /// members), or `-`; becomes `Origin::source`.
    source: String,
    /// The id of a plain-text document: the path relative to the directory
    /// given, or the file name.
    name: String,
}

#[derive(Debug, Clone)]
enum Location {
    File(PathBuf),
    Stdin,
    /// Standard input copied to a temporary file, deleted when the last
    /// clone of the [`Input`] is dropped.
    Spooled(Arc<TempPath>),
}

impl Input {
    /// A single file, named by its file name.
    pub fn file(path: impl Into<PathBuf>) -> Input {
        let path = path.into();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        Input {
            source: path.display().to_string(),
            name,
            location: Location::File(path),
        }
    }

    /// This input under another name, as its documents' source and (for
    /// plain text) id: a front end that writes what it was given to a
    /// temporary file names it as the user did.
    pub fn named(mut self, name: &str) -> Input {
        self.source = name.to_owned();
        self.name = name.to_owned();
        self
    }

    /// Standard input, named `-`.
    pub fn stdin() -> Input {
        Input {
            location: Location::Stdin,
            source: "-".into(),
            name: "-".into(),
        }
    }

    /// Copies all of standard input to a temporary file in `dir` so that it
    /// can be read more than once (or seeked, as Parquet needs). The file is
    /// deleted when the returned input and all its clones are dropped;
    /// documents still name their source `-`.
    pub fn spool_stdin(dir: &Path) -> Result<Input, IoError> {
        Input::spool(io::stdin().lock(), dir)
    }

    /// [`Input::spool_stdin`] for any reader (tests use this).
    pub fn spool(mut reader: impl Read, dir: &Path) -> Result<Input, IoError> {
        let mut file = tempfile::Builder::new()
            .prefix(".thresh-stdin-")
            .tempfile_in(dir)
            .map_err(|e| IoError::new(dir, e))?;
        io::copy(&mut reader, &mut file).map_err(|e| IoError::new(file.path(), e))?;
        Ok(Input {
            location: Location::Spooled(Arc::new(file.into_temp_path())),
            source: "-".into(),
            name: "-".into(),
        })
    }

    /// The name documents from this input carry in `Origin::source`.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The id a plain-text document from this input gets.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The file to open, or `None` for (unspooled) standard input.
    pub fn path(&self) -> Option<&Path> {
        match &self.location {
            Location::File(path) => Some(path),
            Location::Spooled(temp) => Some(temp),
            Location::Stdin => None,
        }
    }

    /// Whether the documents come from standard input (spooled or not).
    pub fn is_stdin(&self) -> bool {
        !matches!(self.location, Location::File(_))
    }

    /// The format the file name implies. Standard input has no name: once
    /// spooled, its content tells ([`InputFormat::sniff`], looking past
    /// gzip and zstd); unspooled it is text unless the caller says
    /// otherwise.
    pub fn detected_format(&self) -> InputFormat {
        match &self.location {
            Location::File(path) => InputFormat::from_path(path),
            Location::Spooled(_) => self.sniffed_format().unwrap_or(InputFormat::Text),
            Location::Stdin => InputFormat::Text,
        }
    }

    /// The format of the first bytes of the (decompressed) content.
    fn sniffed_format(&self) -> io::Result<InputFormat> {
        let mut head = Vec::with_capacity(SNIFF_BYTES);
        self.open()?
            .take(SNIFF_BYTES as u64)
            .read_to_end(&mut head)?;
        Ok(InputFormat::sniff(&head))
    }

    /// Whether the stream is compressed: by extension for named files, by
    /// magic bytes for standard input.
    #[cfg_attr(not(feature = "parquet"), allow(dead_code))]
    pub(crate) fn is_compressed(&self) -> io::Result<bool> {
        match &self.location {
            Location::File(path) => Ok(Compression::from_path(path) != Compression::None),
            Location::Spooled(path) => {
                let mut head = [0u8; 4];
                let n = File::open(&**path)?.read(&mut head)?;
                Ok(Compression::sniff(&head[..n]) != Compression::None)
            }
            Location::Stdin => Ok(false),
        }
    }

    /// Opens the input as stored, for readers that handle gzip members
    /// themselves (WARC): the byte stream and whether it is gzip. A zstd
    /// stream is decompressed whole (and reported as not gzip).
    #[cfg_attr(not(feature = "html"), allow(dead_code))]
    pub(crate) fn open_raw(&self) -> io::Result<(Box<dyn BufRead + Send>, bool)> {
        let mut reader: Box<dyn BufRead + Send> = match &self.location {
            Location::File(path) => {
                Box::new(BufReader::with_capacity(BUFFER_BYTES, File::open(path)?))
            }
            Location::Spooled(path) => {
                Box::new(BufReader::with_capacity(BUFFER_BYTES, File::open(&**path)?))
            }
            Location::Stdin => Box::new(BufReader::with_capacity(BUFFER_BYTES, io::stdin())),
        };
        match Compression::sniff(reader.fill_buf()?) {
            Compression::Gzip => Ok((reader, true)),
            Compression::Zstd => Ok((decompress(reader, Compression::Zstd), false)),
            Compression::None => Ok((reader, false)),
        }
    }

    /// Opens the input as a buffered, decompressed byte stream.
    pub(crate) fn open(&self) -> io::Result<Box<dyn BufRead + Send>> {
        match &self.location {
            Location::File(path) => {
                let file = BufReader::with_capacity(BUFFER_BYTES, File::open(path)?);
                Ok(decompress(file, Compression::from_path(path)))
            }
            Location::Spooled(path) => sniff_and_decompress(File::open(&**path)?),
            Location::Stdin => sniff_and_decompress(io::stdin()),
        }
    }
}

fn sniff_and_decompress(reader: impl Read + Send + 'static) -> io::Result<Box<dyn BufRead + Send>> {
    let mut reader = BufReader::with_capacity(BUFFER_BYTES, reader);
    let compression = Compression::sniff(reader.fill_buf()?);
    Ok(decompress(reader, compression))
}

fn decompress(
    reader: impl BufRead + Send + 'static,
    compression: Compression,
) -> Box<dyn BufRead + Send> {
    match compression {
        Compression::None => Box::new(reader),
        // Multi-member: `cat a.gz b.gz` and bgzip files are common in crawls.
        Compression::Gzip => Box::new(BufReader::with_capacity(
            BUFFER_BYTES,
            MultiGzDecoder::new(reader),
        )),
        Compression::Zstd => match zstd::Decoder::with_buffer(reader) {
            Ok(decoder) => Box::new(BufReader::with_capacity(BUFFER_BYTES, decoder)),
            // Only fails when zstd cannot allocate its context; surface it
            // as a read error on first use rather than a panic.
            Err(e) => Box::new(FailingReader(Some(e))),
        },
    }
}

/// A reader whose first read returns a stored error.
struct FailingReader(Option<io::Error>);

impl Read for FailingReader {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        match self.0.take() {
            Some(e) => Err(e),
            None => Ok(0),
        }
    }
}

impl BufRead for FailingReader {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        match self.0.take() {
            Some(e) => Err(e),
            None => Ok(&[]),
        }
    }
    fn consume(&mut self, _: usize) {}
}

/// Expands the paths a user gave into inputs: `-` is standard input, a file
/// is itself, and a directory is every non-hidden file below it, in path
/// order so runs are reproducible. Symbolic links are followed, to files
/// and to directories; a directory reached a second time (a link that
/// loops, or another way to the same files) is read only the first time.
///
/// Fails, naming the path, when a path does not exist or a directory cannot
/// be listed.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<Input>, IoError> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::stdin());
            continue;
        }
        let meta = std::fs::metadata(path).map_err(|e| IoError::new(path, e))?;
        if meta.is_dir() {
            let mut files = Vec::new();
            walk(path, &mut HashSet::new(), &mut files)?;
            files.sort();
            inputs.extend(files.into_iter().map(|file| member(path, file)));
        } else {
            inputs.push(Input::file(path));
        }
    }
    Ok(inputs)
}

/// An input found inside `dir`, named by its path relative to `dir`.
fn member(dir: &Path, file: PathBuf) -> Input {
    let relative = file.strip_prefix(dir).unwrap_or(&file);
    let name = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    Input {
        source: file.display().to_string(),
        name,
        location: Location::File(file),
    }
}

/// Collects the files below `dir`, entries in name order. `walked` holds
/// the canonical paths of the directories walked so far, so a directory
/// reached again through a symbolic link (a loop, or a second way to the
/// same files) is read once, under the name met first.
fn walk(
    dir: &Path,
    walked: &mut HashSet<PathBuf>,
    files: &mut Vec<PathBuf>,
) -> Result<(), IoError> {
    let canonical = dir.canonicalize().map_err(|e| IoError::new(dir, e))?;
    if !walked.insert(canonical) {
        return Ok(());
    }
    let mut entries = std::fs::read_dir(dir)
        .map_err(|e| IoError::new(dir, e))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| IoError::new(dir, e))?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let kind = entry.file_type().map_err(|e| IoError::new(&path, e))?;
        if kind.is_dir() || (kind.is_symlink() && path.is_dir()) {
            walk(&path, walked, files)?;
        } else if kind.is_file() || (kind.is_symlink() && path.is_file()) {
            files.push(path);
        }
    }
    Ok(())
}
