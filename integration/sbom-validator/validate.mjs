// Validates SBOM files against the official JSON schemas vendored in ../schemas (unmodified):
// CycloneDX 1.4 (with the spdx and jsf schemas it references) and SPDX 2.3. Each file's format is
// taken from its content ("bomFormat": "CycloneDX" or "spdxVersion": "SPDX-2.3").
//   node validate.mjs FILE...   prints "ok FILE" or the schema errors, exits 1 when any is invalid
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { fullFormats } from "ajv-formats/dist/formats.js";

const schemas = join(dirname(fileURLToPath(import.meta.url)), "..", "schemas");
const load = (name) => JSON.parse(readFileSync(join(schemas, name), "utf8"));

// strict: false because the official schemas use keywords ajv's strict mode rejects (e.g. a
// "$comment" beside "$ref", formats it does not know); validation itself is unchanged.
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv, { mode: "full" });
// The CycloneDX schema uses two draft-07 formats ajv-formats lacks. An IRI is a URI that may hold
// non-ASCII characters (RFC 3987), an idn-email an email address that may (RFC 6531): check the
// ASCII form with ajv-formats' own uri-reference and email formats.
const asciiIri = (value) => value.replace(/[^\x00-\x7f]/gu, (c) => encodeURIComponent(c));
const matches = (format, value) =>
  typeof format === "function" ? format(value) : (format.validate ?? format).test(value);
ajv.addFormat("iri-reference", (value) => matches(fullFormats["uri-reference"], asciiIri(value)));
ajv.addFormat("idn-email", (value) => matches(fullFormats.email, value.replace(/[^\x00-\x7f]/gu, "a")));
for (const name of ["spdx.schema.json", "jsf-0.82.schema.json"]) ajv.addSchema(load(name));
const validators = {
  "CycloneDX 1.4": ajv.compile(load("bom-1.4.schema.json")),
  "SPDX 2.3": ajv.compile(load("spdx-2.3.schema.json")),
};

function formatOf(document) {
  if (document.bomFormat === "CycloneDX" && document.specVersion === "1.4") return "CycloneDX 1.4";
  if (document.spdxVersion === "SPDX-2.3") return "SPDX 2.3";
  return null;
}

let failed = false;
for (const file of process.argv.slice(2)) {
  let document;
  try {
    document = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    console.log(`invalid ${file}: not JSON (${error.message})`);
    failed = true;
    continue;
  }
  const format = formatOf(document);
  if (format === null) {
    console.log(`invalid ${file}: neither CycloneDX 1.4 nor SPDX 2.3`);
    failed = true;
    continue;
  }
  const validate = validators[format];
  if (validate(document)) {
    console.log(`ok ${file} (${format})`);
  } else {
    failed = true;
    for (const error of validate.errors) {
      console.log(`invalid ${file} (${format}): ${error.instancePath || "/"} ${error.message} ${JSON.stringify(error.params)}`);
    }
  }
}
process.exit(failed ? 1 : 0);
