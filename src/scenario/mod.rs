//! Scenario files: serde DTOs (TOML or JSON) turned into a validated [`Scenario`].

mod types;

pub use types::*;
