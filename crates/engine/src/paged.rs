//! An append-only array in fixed-size pages, for the per-document facts a
//! deduplicator keeps for millions of documents.
//!
//! A `Vec` grows by doubling: at its peak it holds up to twice what it
//! needs, plus the old copy while it moves (for 17 band keys a document at
//! one million documents, 136 MB needed could take 268 MB, and 400 MB while
//! growing). Pages never move: memory is what is stored, plus at most one
//! page.

/// Elements per page: 64 Ki, small against millions of documents, large
/// enough that page lookups cost nothing.
const PAGE_BITS: u32 = 16;
const PAGE_LEN: usize = 1 << PAGE_BITS;

/// An append-only array of `T` in pages of 64 Ki elements.
#[derive(Debug, Clone, Default)]
pub struct Paged<T> {
    pages: Vec<Vec<T>>,
    len: usize,
}

impl<T: Copy> Paged<T> {
    pub fn new() -> Self {
        Paged {
            pages: Vec::new(),
            len: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn push(&mut self, value: T) {
        if self.len.is_multiple_of(PAGE_LEN) {
            self.pages.push(Vec::with_capacity(PAGE_LEN));
        }
        self.pages.last_mut().expect("a page").push(value);
        self.len += 1;
    }

    pub fn extend_from_slice(&mut self, values: &[T]) {
        let mut rest = values;
        while !rest.is_empty() {
            if self.len.is_multiple_of(PAGE_LEN) {
                self.pages.push(Vec::with_capacity(PAGE_LEN));
            }
            let page = self.pages.last_mut().expect("a page");
            let room = PAGE_LEN - page.len();
            let (now, later) = rest.split_at(room.min(rest.len()));
            page.extend_from_slice(now);
            self.len += now.len();
            rest = later;
        }
    }

    /// Element `index`; panics past the end, like a slice.
    pub fn get(&self, index: usize) -> T {
        assert!(index < self.len, "index {index} past {}", self.len);
        self.pages[index >> PAGE_BITS][index & (PAGE_LEN - 1)]
    }

    pub fn iter(&self) -> impl Iterator<Item = T> + '_ {
        self.pages.iter().flat_map(|page| page.iter().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_read_back_across_pages() {
        let mut paged = Paged::new();
        let values: Vec<u64> = (0..(PAGE_LEN as u64 * 2 + 10)).collect();
        paged.extend_from_slice(&values[..PAGE_LEN - 3]);
        paged.push(values[PAGE_LEN - 3]);
        paged.extend_from_slice(&values[PAGE_LEN - 2..]);
        assert_eq!(paged.len(), values.len());
        assert_eq!(paged.get(PAGE_LEN - 1), (PAGE_LEN - 1) as u64);
        assert_eq!(paged.get(PAGE_LEN), PAGE_LEN as u64);
        assert_eq!(paged.iter().collect::<Vec<_>>(), values);
        assert!(paged.pages.iter().all(|page| page.capacity() == PAGE_LEN));
    }
}
