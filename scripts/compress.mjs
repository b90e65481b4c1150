// Writes a brotli (.br, quality 11) and a gzip (.gz, level 9) copy beside each file
// given, for the server to send as they are (scripts/build-site.sh --release runs it).
// Node's own zlib, so the build needs no compression tool of its own.
import { readFileSync, writeFileSync } from "node:fs";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

for (const file of process.argv.slice(2)) {
  const data = readFileSync(file);
  const br = brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
  writeFileSync(`${file}.br`, br);
  writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
  console.log(`${file}: ${data.length} bytes, brotli ${br.length}, gzip ${readFileSync(`${file}.gz`).length}`);
}
