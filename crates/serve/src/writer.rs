//! The index's one writer: adds from concurrent requests, committed
//! together.
//!
//! An index has one writer, and each commit syncs files to disk, so adds
//! that arrive while a commit runs wait for it and then go into the next
//! commit together: under load, one sync serves many requests. Documents
//! are pushed in arrival order, so a later request's documents are matched
//! against an earlier one's as if they had come one after the other. Each
//! request is answered once the commit holding its documents is on disk.

use std::sync::mpsc;
use std::sync::Arc;

use thresh::records::QueryVerdict;
use thresh_engine::Document;
use thresh_index::Index;
use tokio::sync::oneshot;

/// Most documents one commit takes from waiting requests (a request larger
/// than this is still committed whole, alone).
const MAX_COMMIT_DOCUMENTS: usize = 50_000;

/// One request's documents waiting for the writer, and where its answer
/// goes.
struct Pending {
    documents: Vec<Document>,
    answer: oneshot::Sender<Result<Vec<QueryVerdict>, String>>,
}

/// The handle requests add through. The writer's thread ends when the
/// handle is dropped and the requests already queued are answered.
pub(crate) struct Writer {
    queue: mpsc::Sender<Pending>,
}

impl Writer {
    /// Starts the writer's thread over `index` (opened for writing).
    pub(crate) fn start(index: Arc<Index>) -> std::io::Result<Writer> {
        let (queue, waiting) = mpsc::channel();
        std::thread::Builder::new()
            .name("thresh-writer".into())
            .spawn(move || write(&index, &waiting))?;
        Ok(Writer { queue })
    }

    /// Checks and adds `documents`; their verdicts once they are on disk.
    pub(crate) async fn add(&self, documents: Vec<Document>) -> Result<Vec<QueryVerdict>, String> {
        let (answer, answered) = oneshot::channel();
        self.queue
            .send(Pending { documents, answer })
            .map_err(|_| "the index's writer has stopped".to_string())?;
        answered
            .await
            .map_err(|_| "the index's writer stopped before answering".to_string())?
    }
}

/// The writer's loop: waits for a request, takes the others already
/// waiting (up to [`MAX_COMMIT_DOCUMENTS`]), commits them all at once and
/// answers each.
fn write(index: &Index, waiting: &mpsc::Receiver<Pending>) {
    while let Ok(first) = waiting.recv() {
        let mut round = vec![first];
        let mut total = round[0].documents.len();
        while total < MAX_COMMIT_DOCUMENTS {
            match waiting.try_recv() {
                Ok(next) => {
                    total += next.documents.len();
                    round.push(next);
                }
                Err(_) => break,
            }
        }
        let sizes: Vec<usize> = round.iter().map(|p| p.documents.len()).collect();
        let documents: Vec<Document> = round
            .iter_mut()
            .flat_map(|p| std::mem::take(&mut p.documents))
            .collect();
        match thresh::index::add_documents(index, &documents) {
            Ok((verdicts, _)) => {
                let mut verdicts = verdicts.into_iter();
                for (pending, size) in round.into_iter().zip(sizes) {
                    let own: Vec<QueryVerdict> = verdicts.by_ref().take(size).collect();
                    // A request whose client went away needs no answer.
                    let _ = pending.answer.send(Ok(own));
                }
            }
            Err(error) => {
                let why = format!("{error:#}");
                for pending in round {
                    let _ = pending.answer.send(Err(why.clone()));
                }
            }
        }
    }
}
