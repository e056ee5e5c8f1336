//! Folder listings as every [`crate::fs::SourceFs`] gives them: entries by name, sorted, each a file or
//! a folder (symlinks already resolved inside the project; anything else is not listed), and at
//! most [`MAX_DIR_ENTRIES`] of them, the rest counted so the caller can say what it left out.

/// Entries a listing holds at most; a folder with more is listed in part (the first names in
/// sorted order) and [`DirListing::omitted`] counts the rest.
pub const MAX_DIR_ENTRIES: usize = 65_536;

/// What a folder entry is, its symlinks resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntryKind {
    File,
    Folder,
}

/// One entry of a folder.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DirEntry {
    pub name: String,
    pub kind: EntryKind,
}

impl DirEntry {
    pub fn new(name: impl Into<String>, kind: EntryKind) -> DirEntry {
        DirEntry {
            name: name.into(),
            kind,
        }
    }
}

/// A folder's entries, sorted by name, one per name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DirListing {
    pub entries: Vec<DirEntry>,
    /// Entries past [`MAX_DIR_ENTRIES`], not listed.
    pub omitted: usize,
}

impl DirListing {
    /// The listing of `entries` in any order: sorted by name, the first of each name kept (a name
    /// given as both a file and a folder is a folder), cut at [`MAX_DIR_ENTRIES`].
    pub fn new(entries: impl IntoIterator<Item = DirEntry>) -> DirListing {
        let mut entries: Vec<DirEntry> = entries.into_iter().collect();
        // Folders sort after files of the same name: keep the last of each name.
        entries.sort();
        entries.reverse();
        entries.dedup_by(|later, kept| later.name == kept.name);
        entries.reverse();
        let omitted = entries.len().saturating_sub(MAX_DIR_ENTRIES);
        entries.truncate(MAX_DIR_ENTRIES);
        DirListing { entries, omitted }
    }

    /// The names of the folders, in order.
    pub fn folders(&self) -> impl Iterator<Item = &str> {
        self.entries
            .iter()
            .filter(|e| e.kind == EntryKind::Folder)
            .map(|e| e.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_one_per_name_and_bounded() {
        let l = DirListing::new([
            DirEntry::new("b", EntryKind::File),
            DirEntry::new("a", EntryKind::File),
            DirEntry::new("a", EntryKind::Folder),
            DirEntry::new("c", EntryKind::Folder),
        ]);
        assert_eq!(
            l.entries,
            vec![
                DirEntry::new("a", EntryKind::Folder),
                DirEntry::new("b", EntryKind::File),
                DirEntry::new("c", EntryKind::Folder),
            ]
        );
        assert_eq!(l.folders().collect::<Vec<_>>(), ["a", "c"]);
        assert_eq!(l.omitted, 0);

        let many = (0..MAX_DIR_ENTRIES + 3)
            .rev()
            .map(|i| DirEntry::new(format!("f{i:06}"), EntryKind::File));
        let l = DirListing::new(many);
        assert_eq!(l.entries.len(), MAX_DIR_ENTRIES);
        assert_eq!(l.omitted, 3);
        assert_eq!(l.entries[0].name, "f000000");
        assert_eq!(
            l.entries.last().map(|e| e.name.clone()),
            Some(format!("f{:06}", MAX_DIR_ENTRIES - 1))
        );
    }
}
