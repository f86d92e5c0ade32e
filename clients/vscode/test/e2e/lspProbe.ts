// A minimal LSP client over stdio, for the end-to-end test to ask the server under test what VS
// Code should then show: its commands, its diagnostics, its hover text, its outline, its
// explanation of a line. The test checks the page against these answers, so that it follows the
// server's wording instead of copying it.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export interface Diagnostic {
  readonly message: string;
  readonly range: { start: { line: number; character: number } };
  readonly code?: string | number;
}

export class LspProbe {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly diagnostics = new Map<string, Diagnostic[]>();
  private readonly diagnosticWaiters: (() => void)[] = [];
  private stderr = "";
  capabilities: Record<string, unknown> = {};

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on("data", (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.drain();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString("utf8")).slice(-4000);
    });
    child.on("exit", () => {
      for (const pending of this.pending.values()) {
        pending.reject(new Error(`the server exited: ${this.stderr}`));
      }
      this.pending.clear();
    });
  }

  static async start(command: string, args: string[], folder: string, folderUri: string): Promise<LspProbe> {
    const probe = new LspProbe(spawn(command, args, { cwd: folder, stdio: "pipe" }));
    const result = (await probe.request(
      "initialize",
      {
        processId: process.pid,
        rootUri: folderUri,
        workspaceFolders: [{ uri: folderUri, name: "series" }],
        capabilities: {
          workspace: { configuration: true, workspaceFolders: true },
          window: { workDoneProgress: true },
          textDocument: {
            hover: { contentFormat: ["markdown", "plaintext"] },
            documentSymbol: { hierarchicalDocumentSymbolSupport: true },
            publishDiagnostics: { relatedInformation: true },
          },
        },
        initializationOptions: {},
      },
      60_000,
    )) as { capabilities?: Record<string, unknown> };
    probe.capabilities = result.capabilities ?? {};
    probe.notify("initialized", {});
    return probe;
  }

  /** The commands the server lists in `executeCommandProvider`. */
  get commands(): string[] {
    const provider = this.capabilities["executeCommandProvider"] as { commands?: unknown } | undefined;
    return Array.isArray(provider?.commands) ? (provider.commands as string[]) : [];
  }

  request(method: string, params: unknown, timeout = 30_000): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method} got no answer in ${timeout} ms`));
      }, timeout);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.send({ jsonrpc: "2.0", id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: "2.0", method, params });
  }

  private readonly opened = new Set<string>();

  /** didOpen, once per document. */
  open(uri: string, text: string): void {
    if (!this.opened.has(uri)) {
      this.opened.add(uri);
      this.notify("textDocument/didOpen", { textDocument: { uri, languageId: "fountain", version: 1, text } });
    }
  }

  /** The diagnostics last published for a URI, waiting for at least one. */
  async diagnosticsFor(uri: string, timeout = 60_000): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const found = this.diagnostics.get(uri);
      if (found !== undefined && found.length > 0) {
        return found;
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        return found ?? [];
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1000));
        this.diagnosticWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    try {
      await this.request("shutdown", null, 5000);
      this.notify("exit", null);
    } catch {
      // killed below
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    if (this.child.exitCode === null) {
      this.child.kill("SIGKILL");
    }
  }

  private send(message: unknown): void {
    const body = Buffer.from(JSON.stringify(message), "utf8");
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  private drain(): void {
    for (;;) {
      const headerEnd = this.buffer.indexOf("\r\n\r\n");
      if (headerEnd < 0) {
        return;
      }
      const header = this.buffer.subarray(0, headerEnd).toString("ascii");
      const length = Number(/Content-Length:\s*(\d+)/i.exec(header)?.[1] ?? NaN);
      if (!Number.isFinite(length) || this.buffer.length < headerEnd + 4 + length) {
        return;
      }
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString("utf8");
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.handle(JSON.parse(body) as Message);
    }
  }

  private handle(message: Message): void {
    if (message.method !== undefined && message.id !== undefined) {
      // A request from the server: configuration gets empty settings, the rest null.
      const result =
        message.method === "workspace/configuration"
          ? ((message.params as { items?: unknown[] } | undefined)?.items ?? []).map(() => null)
          : null;
      this.send({ jsonrpc: "2.0", id: message.id, result });
      return;
    }
    if (message.method === "textDocument/publishDiagnostics") {
      const params = message.params as { uri: string; diagnostics: Diagnostic[] };
      this.diagnostics.set(params.uri, params.diagnostics);
      for (const waiter of this.diagnosticWaiters.splice(0)) {
        waiter();
      }
      return;
    }
    if (typeof message.id === "number" && message.method === undefined) {
      const pending = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error !== undefined) {
        pending?.reject(new Error(`${message.error.message} (${message.error.code})`));
      } else {
        pending?.resolve(message.result);
      }
    }
  }
}

interface Message {
  id?: number | string;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

/** The text of a hover result, whatever shape it came in. */
export function hoverText(hover: unknown): string {
  if (hover === null || hover === undefined) {
    return "";
  }
  const contents = (hover as { contents?: unknown }).contents;
  const part = (value: unknown): string => {
    if (typeof value === "string") {
      return value;
    }
    const inner = typeof value === "object" && value !== null ? (value as { value?: unknown }).value : undefined;
    return typeof inner === "string" ? inner : "";
  };
  return Array.isArray(contents) ? contents.map(part).join("\n") : part(contents);
}

export interface SymbolNode {
  readonly name: string;
  readonly kind: number;
  readonly children?: SymbolNode[];
}

/** Every symbol of a document-symbol tree, depth first. */
export function flatten(symbols: readonly SymbolNode[]): SymbolNode[] {
  return symbols.flatMap((symbol) => [symbol, ...flatten(symbol.children ?? [])]);
}
