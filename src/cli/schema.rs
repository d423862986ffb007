//! `regionsim schema`: print the JSON Schema of the scenario format to stdout.

use super::io::outln;
use super::EXIT_OK;
use crate::scenario::scenario_schema;

/// Prints the schema, pretty, with a trailing newline.
pub fn schema() -> i32 {
    let text = serde_json::to_string_pretty(&scenario_schema()).unwrap_or_default();
    outln(&text);
    EXIT_OK
}
