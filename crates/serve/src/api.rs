//! The service's JSON: what a request holds, what an answer says, and how a
//! request's documents become the engine's.

use serde::{Deserialize, Serialize};
use thresh::records::QueryVerdict;
use thresh_engine::dedup::MatchKind;
use thresh_engine::Document;

/// `POST /v1/check` and `POST /v1/add`: one or many documents.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    pub documents: Vec<DocumentIn>,
}

/// One document of a request: its text, or its HTML page (the article is
/// extracted as `thresh extract` does).
#[derive(Debug, Deserialize)]
pub struct DocumentIn {
    pub id: String,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub html: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
}

/// The answer to a check or an add: one result per document, in the
/// request's order.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct Answer {
    pub results: Vec<Verdict>,
}

/// Whether a document is new and, if not, what it matched.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct Verdict {
    pub id: String,
    pub new: bool,
    /// Empty for a new document; else the earliest document it matched.
    pub matches: Vec<Match>,
}

/// A document of the index (or of the same request) that a document
/// matched, in the terms of `thresh index query`.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct Match {
    /// The id it had when it was added.
    pub id: String,
    /// Its stable id in the index.
    pub index_id: u64,
    pub similarity: f64,
    pub kind: MatchKind,
    /// Its own date, as it was given when added.
    pub date: Option<String>,
    /// The kept document that the match leads back to.
    pub representative: String,
}

impl From<QueryVerdict> for Verdict {
    fn from(verdict: QueryVerdict) -> Self {
        let matches = match (
            verdict.matched,
            verdict.similarity,
            verdict.kind,
            verdict.representative,
        ) {
            (Some(matched), Some(similarity), Some(kind), Some(representative)) => vec![Match {
                id: matched.id,
                index_id: matched.index_id,
                similarity,
                kind,
                date: matched.date,
                representative: representative.id,
            }],
            _ => Vec::new(),
        };
        Verdict {
            id: verdict.id,
            new: verdict.new,
            matches,
        }
    }
}

/// A request that cannot be answered, said in one sentence.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct Problem {
    pub error: String,
}

/// The engine's documents for a request's, or the first problem, naming
/// the document by its place in the request.
pub fn documents(request: Request) -> Result<Vec<Document>, String> {
    request
        .documents
        .into_iter()
        .enumerate()
        .map(|(at, doc)| document(doc).map_err(|why| format!("documents[{at}]: {why}")))
        .collect()
}

fn document(doc: DocumentIn) -> Result<Document, String> {
    let text = match (doc.text, doc.html) {
        (Some(text), None) => text,
        (None, Some(html)) => thresh_io::html::extract(&html, doc.url.as_deref()).text,
        (Some(_), Some(_)) => return Err("give \"text\" or \"html\", not both".into()),
        (None, None) => return Err("has neither \"text\" nor \"html\"".into()),
    };
    if doc.id.is_empty() {
        return Err("\"id\" is empty".into());
    }
    if text.trim().is_empty() {
        return Err(format!("{:?} has no text", doc.id));
    }
    let mut document = Document::new(doc.id, text);
    document.url = doc.url;
    document.date = doc.date;
    Ok(document)
}
