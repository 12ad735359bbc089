// Reads the signatures of a module's imported functions from its binary, because
// WebAssembly.Module.imports() reports only names and kinds, and a JavaScript host function
// accepts any signature while wazero rejects a mismatch at instantiation.

export interface FunctionSignature {
  params: string[];
  results: string[];
}

const VALUE_TYPES: Record<number, string> = {
  0x7f: "i32",
  0x7e: "i64",
  0x7d: "f32",
  0x7c: "f64",
  0x7b: "v128",
  0x70: "funcref",
  0x6f: "externref",
};

export const formatSignature = (signature: FunctionSignature): string =>
  `(${signature.params.join(", ")}) -> (${signature.results.join(", ")})`;

class Reader {
  offset = 0;
  constructor(private readonly bytes: Uint8Array) {}

  byte(): number {
    if (this.offset >= this.bytes.length) throw new Error("unexpected end of the module binary");
    return this.bytes[this.offset++];
  }

  u32(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.byte();
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
    }
    throw new Error("invalid LEB128 integer in the module binary");
  }

  name(): string {
    const length = this.u32();
    const text = Buffer.from(this.bytes.subarray(this.offset, this.offset + length)).toString("utf8");
    this.offset += length;
    return text;
  }

  limits(): void {
    const flags = this.byte();
    this.u32();
    if (flags & 1) this.u32();
  }
}

/**
 * Returns the signature of every imported function, keyed by "module.name". The binary must
 * already have passed WebAssembly.Module validation.
 */
export function importedFunctionSignatures(binary: Uint8Array): Map<string, FunctionSignature> {
  const reader = new Reader(binary);
  reader.offset = 8; // magic number and version
  const types: FunctionSignature[] = [];
  const imports = new Map<string, FunctionSignature>();

  while (reader.offset < binary.length) {
    const sectionId = reader.byte();
    const size = reader.u32();
    const end = reader.offset + size;
    if (sectionId === 1) {
      const count = reader.u32();
      for (let i = 0; i < count; i++) {
        reader.byte(); // 0x60, the function type form
        const params = Array.from({ length: reader.u32() }, () => VALUE_TYPES[reader.byte()] ?? "unknown");
        const results = Array.from({ length: reader.u32() }, () => VALUE_TYPES[reader.byte()] ?? "unknown");
        types.push({ params, results });
      }
    } else if (sectionId === 2) {
      const count = reader.u32();
      for (let i = 0; i < count; i++) {
        const moduleName = reader.name();
        const fieldName = reader.name();
        const kind = reader.byte();
        if (kind === 0) {
          imports.set(`${moduleName}.${fieldName}`, types[reader.u32()]);
        } else if (kind === 1) {
          reader.byte();
          reader.limits();
        } else if (kind === 2) {
          reader.limits();
        } else if (kind === 3) {
          reader.byte();
          reader.byte();
        } else {
          reader.byte();
          reader.u32();
        }
      }
      return imports;
    }
    reader.offset = end;
  }
  return imports;
}
