//! Live-blog timelines (owned by the timeline work; see issue 3).
