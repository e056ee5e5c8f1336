//! Flavours: a front-end's own names for the kinds of SDK values its model makes (how a client
//! was built, what an SDK object is). The shared vocabulary carries them without knowing any:
//! only the model that made a value reads its flavour, through the enum it declares with
//! [`flavours!`](crate::flavours).

use std::fmt;

/// An opaque kind of SDK value, named by the front-end that defines it (`v3-bare`, `resource`).
/// Copied and compared like an integer; two flavours are equal when their names are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Flavour(&'static str);

impl Flavour {
    pub const fn new(name: &'static str) -> Flavour {
        Flavour(name)
    }

    /// The name its front-end gave it, as diagnostics show it.
    pub fn name(self) -> &'static str {
        self.0
    }
}

impl fmt::Display for Flavour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// What an SDK handle is: its front-end's flavour, and what it was made for when that varies
/// (the operation a builder performs, a resource class); empty when the flavour says it all.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct HandleKind {
    pub flavour: Flavour,
    pub of: String,
}

impl HandleKind {
    /// A handle of `flavour` made for `of` (an operation, a class).
    pub fn new(flavour: Flavour, of: impl Into<String>) -> HandleKind {
        HandleKind {
            flavour,
            of: of.into(),
        }
    }

    /// A handle its flavour describes whole.
    pub fn plain(flavour: Flavour) -> HandleKind {
        HandleKind::new(flavour, String::new())
    }

    /// What the handle was made for, when it is of `flavour`.
    pub fn of_flavour(&self, flavour: Flavour) -> Option<&str> {
        (self.flavour == flavour).then_some(self.of.as_str())
    }

    /// The short name a call through it is explained with: what it was made for, else its
    /// flavour (`Bucket`, `paginator`).
    pub fn subject(&self) -> &str {
        if self.of.is_empty() {
            self.flavour.name()
        } else {
            &self.of
        }
    }
}

impl fmt::Display for HandleKind {
    /// `flavour:of`, or the flavour alone.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.of.is_empty() {
            write!(f, "{}", self.flavour)
        } else {
            write!(f, "{}:{}", self.flavour, self.of)
        }
    }
}

/// Declares a front-end's flavours as an enum whose variants map to and from [`Flavour`]s:
/// `flavours! { pub enum Client { V2 = "v2", V3 = "v3" } }` gives `Client::ALL`,
/// `Client::V2.flavour()` and `Client::of(flavour)` (None for a flavour of another enum).
#[macro_export]
macro_rules! flavours {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        $vis enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every variant, in declaration order.
            #[allow(dead_code)]
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The flavour the shared vocabulary carries for it.
            pub const fn flavour(self) -> $crate::flavour::Flavour {
                match self {
                    $($name::$variant => $crate::flavour::Flavour::new($text)),+
                }
            }

            /// The variant `flavour` stands for, if it is one of these.
            #[allow(dead_code)]
            pub fn of(flavour: $crate::flavour::Flavour) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.flavour() == flavour)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::flavours! {
        /// Flavours of a made-up SDK.
        enum Test {
            One = "one",
            Two = "two",
        }
    }

    #[test]
    fn declared_flavours_round_trip_and_differ() {
        for v in Test::ALL {
            assert_eq!(Test::of(v.flavour()), Some(*v));
        }
        assert_ne!(Test::One.flavour(), Test::Two.flavour());
        assert_eq!(Test::of(Flavour::new("three")), None);
        assert_eq!(Test::Two.flavour().name(), "two");
    }

    #[test]
    fn handle_kinds_render_and_answer_by_flavour() {
        let resource = Flavour::new("resource");
        let bucket = HandleKind::new(resource, "Bucket");
        assert_eq!(bucket.to_string(), "resource:Bucket");
        assert_eq!(bucket.subject(), "Bucket");
        assert_eq!(bucket.of_flavour(resource), Some("Bucket"));
        assert_eq!(bucket.of_flavour(Flavour::new("writer")), None);
        let paginator = HandleKind::plain(Flavour::new("paginator"));
        assert_eq!(paginator.to_string(), "paginator");
        assert_eq!(paginator.subject(), "paginator");
        assert_eq!(paginator.of_flavour(Flavour::new("paginator")), Some(""));
    }
}
