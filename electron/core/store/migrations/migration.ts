// What a migration is: a version number (gaps allowed, so parallel work can reserve numbers), a name, and
// the SQL it runs. SQL only, no JavaScript: its checksum then means exactly "the schema change is the
// same", whereas a function's source text changes with every bundler and minifier.

export interface Migration {
  version: number;
  /** Short kebab-case name, the file name without the number: `node-samples`. */
  name: string;
  sql: string;
}
