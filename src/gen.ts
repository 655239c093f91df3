/** `npm run gen`: regenerates the committed artifacts under .gen/. */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { JSON_SCHEMA_PATH, renderJsonSchema } from "./config/json-schema";

mkdirSync(dirname(JSON_SCHEMA_PATH), { recursive: true });
writeFileSync(JSON_SCHEMA_PATH, renderJsonSchema());
console.log(`wrote ${JSON_SCHEMA_PATH}`);
