"use client";
// The selected producer, consumer or pattern part as runnable code: a tab per language (TypeScript
// with amqplib, kafkajs or node:http; Python with pika, confluent-kafka or the standard library;
// Java with the RabbitMQ and Kafka Java clients, as a Maven project whose files can be picked),
// generated from its settings, with the commands that run it and a Copy button. The last language
// chosen is remembered.
import { useEffect, useMemo, useRef, useState } from "react";
import type { KeyboardEvent } from "react";
import { generateJava } from "../../lib/codegen/java";
import { generatePython } from "../../lib/codegen/python";
import { generateTypeScript } from "../../lib/codegen/typescript";
import type { CodegenSelection, GeneratedCode } from "../../lib/codegen/plan";
import type { Scenario } from "../../lib/scenario/schema";
import { highlight } from "./highlight";
import "./code-view.css";

type Language = "typescript" | "python" | "java";
const languages: { id: Language; label: string }[] = [
  { id: "typescript", label: "TypeScript" },
  { id: "python", label: "Python" },
  { id: "java", label: "Java" },
];
const generators: Record<Language, (scenario: Scenario, selection: CodegenSelection) => GeneratedCode> = { typescript: generateTypeScript, python: generatePython, java: generateJava };
const storageKey = "brokerlab.code-language";

type Generated = GeneratedCode | { error: string };
const errorOf = (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) });

/** Every language's code; Java covers fewer parts than the others, so its refusal stays in its own tab. */
function generate(scenario: Scenario, selection: CodegenSelection): Record<Language, Generated> | { error: string } {
  const out = {} as Record<Language, Generated>;
  for (const { id } of languages) {
    try {
      out[id] = generators[id](scenario, selection);
    } catch (error) {
      out[id] = errorOf(error);
    }
  }
  return "error" in out.typescript ? out.typescript : out;
}

function CopyButton(props: { text: string; what: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const reset = setTimeout(() => setState("idle"), 2000);
    return () => clearTimeout(reset);
  }, [state]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.text);
      setState("copied");
    } catch {
      setState("failed");
    }
  };
  return (
    <>
      <button type="button" className="button button--small" onClick={copy} aria-label={`Copy ${props.what}`}>
        {state === "copied" ? "Copied" : state === "failed" ? "Select & copy" : "Copy"}
      </button>
      <span className="visually-hidden" aria-live="polite">
        {state === "copied" ? `${props.what} copied to the clipboard.` : ""}
      </span>
    </>
  );
}

export function CodeView(props: { scenario: Scenario; service: string; producer?: string; consumer?: string; pattern?: CodegenSelection["pattern"] }) {
  const { scenario, service, producer, consumer, pattern } = props;
  const [language, setLanguage] = useState<Language>("typescript");
  const [filePath, setFilePath] = useState<string | undefined>(undefined);
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  useEffect(() => {
    const saved = window.localStorage.getItem(storageKey);
    if (languages.some((l) => l.id === saved)) setLanguage(saved as Language);
  }, []);
  const choose = (next: Language, focus = false) => {
    setLanguage(next);
    setFilePath(undefined);
    window.localStorage.setItem(storageKey, next);
    if (focus) tabs.current[languages.findIndex((l) => l.id === next)]?.focus();
  };
  const codes = useMemo(
    () => generate(scenario, { service, ...(producer !== undefined ? { producer } : {}), ...(consumer !== undefined ? { consumer } : {}), ...(pattern ? { pattern } : {}) }),
    [scenario, service, producer, consumer, pattern?.kind, pattern?.name],
  );
  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
    event.preventDefault();
    const step = event.key === "ArrowRight" ? 1 : languages.length - 1;
    choose(languages[(languages.findIndex((l) => l.id === language) + step) % languages.length]!.id, true);
  };

  if ("error" in codes) {
    return (
      <section className="code-view" aria-label="Code">
        <p className="notice">{codes.error}</p>
      </section>
    );
  }
  const generated = codes[language];
  const code = "error" in generated ? undefined : generated;
  // A project (Java) shows one of its files at a time; the program itself first.
  const file = code?.files?.find((f) => f.path === filePath) ?? (code ? { path: code.fileName, source: code.source } : undefined);
  const plainText = !file || /\.(xml|properties)$/.test(file.path);
  const tokens = file && !plainText ? highlight(file.source, language) : [{ kind: "plain" as const, text: file?.source ?? "" }];
  const label = languages.find((l) => l.id === language)!.label;
  const part = producer ?? consumer ?? pattern?.name ?? pattern?.kind ?? "";
  const panelId = `code-panel-${service}-${part}`.replace(/[^\w-]/g, "-");

  return (
    <section className="code-view" aria-label={`Code for ${service}/${part}`} data-testid="code-view">
      <div className="code-view__tabs" role="tablist" aria-label="Language">
        {languages.map((entry, index) => (
          <button
            key={entry.id}
            ref={(element) => {
              tabs.current[index] = element;
            }}
            type="button"
            role="tab"
            id={`${panelId}-${entry.id}`}
            aria-selected={language === entry.id}
            aria-controls={panelId}
            tabIndex={language === entry.id ? 0 : -1}
            className="code-view__tab"
            onClick={() => choose(entry.id)}
            onKeyDown={onTabKey}
          >
            {entry.label}
            <span className="code-view__library">{"error" in codes[entry.id] ? "not generated" : (codes[entry.id] as GeneratedCode).library}</span>
          </button>
        ))}
      </div>
      <div className="code-view__panel" role="tabpanel" id={panelId} aria-labelledby={`${panelId}-${language}`}>
        {!code || !file ? (
          <p className="notice">{"error" in generated ? generated.error : ""}</p>
        ) : (
          <>
            {code.files ? (
              <div className="code-view__files" role="group" aria-label="Project files">
                {code.files.map((f) => (
                  <button key={f.path} type="button" className="code-view__file-button" aria-pressed={f.path === file.path} onClick={() => setFilePath(f.path)}>
                    {f.path.split("/").at(-1)}
                  </button>
                ))}
              </div>
            ) : null}
            <div className="code-view__bar">
              <code className="code-view__file" title={file.path}>{file.path}</code>
              <CopyButton text={file.source} what={code.files ? `the ${label} ${file.path.split("/").at(-1)}` : `the ${label} code`} />
            </div>
            <pre className="code-view__code" tabIndex={0} aria-label={`${file.path}, generated code`}>
              <code>
                {tokens.map((token, index) => (token.kind === "plain" ? token.text : <span key={index} className={`tok-${token.kind}`}>{token.text}</span>))}
              </code>
            </pre>
            <div className="code-view__run">
              <span className="muted">{code.files ? "Save these files in one folder, then run it against the local stack:" : "Run it against the local stack:"}</span>
              <pre>
                <code>{code.run.join("\n")}</code>
              </pre>
            </div>
          </>
        )}
      </div>
    </section>
  );
}
