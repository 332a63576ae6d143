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
    #[serde(default, deserialize_with = "string_if_present")]
    pub text: Option<String>,
    #[serde(default, deserialize_with = "string_if_present")]
    pub html: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
}

/// A field that may be left out but, when given, is a string: `"text":
/// null` is a mistake to name, not a document without text.
fn string_if_present<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    String::deserialize(deserializer).map(Some)
}

/// The answer to a check or an add: one result per document, in the
/// request's order.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct Answer {
    pub results: Vec<Verdict>,
}

/// One document's result.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Verdict {
    /// Whether it is new and, if not, what it matched.
    Checked {
        id: String,
        new: bool,
        /// Empty for a new document; else the earliest document it matched.
        matches: Vec<Match>,
    },
    /// It has no text to check (blank, or a page without an article): not
    /// checked, not added, and the rest of the request goes on.
    Unreadable { id: String, error: String },
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
        Verdict::Checked {
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

/// A request's document made ready for the index, or why it cannot be.
pub enum Prepared {
    Ready(Document),
    /// Its id and why it has no text.
    NoText(String, String),
}

/// The request's documents, in order, each ready or without text; or the
/// first document that breaks the request's form (both or neither of
/// `text` and `html`, an empty id), named by its place in the request.
pub fn prepare(request: Request) -> Result<Vec<Prepared>, String> {
    request
        .documents
        .into_iter()
        .enumerate()
        .map(|(at, doc)| prepare_one(doc).map_err(|why| format!("documents[{at}]: {why}")))
        .collect()
}

fn prepare_one(doc: DocumentIn) -> Result<Prepared, String> {
    if doc.id.is_empty() {
        return Err("\"id\" is empty".into());
    }
    let (text, missing) = match (doc.text, doc.html) {
        (Some(text), None) => (text, "blank text"),
        (None, Some(html)) => {
            let text = thresh_io::html::extract(&html, doc.url.as_deref()).text;
            (text, "no article text in the page")
        }
        (Some(_), Some(_)) => return Err("give \"text\" or \"html\", not both".into()),
        (None, None) => return Err("has neither \"text\" nor \"html\"".into()),
    };
    if text.trim().is_empty() {
        return Ok(Prepared::NoText(doc.id, missing.into()));
    }
    let mut document = Document::new(doc.id, text);
    document.url = doc.url;
    document.date = doc.date;
    Ok(Prepared::Ready(document))
}
