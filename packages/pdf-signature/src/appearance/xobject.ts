/**
 * The shape every appearance builder returns: a form XObject and the objects it needs (fonts,
 * images), as kyso PDF values with object numbers local to the appearance. The signing engine
 * renumbers them ({@link renumberAppearance}) and serialises them into its increment.
 */
import { zlibSync } from 'fflate';
import { PdfDict, PdfName, PdfRef, PdfString, type PdfValue } from '../reader/objects.js';
import type { AppearanceWarning } from './errors.js';

/** A stream made by the appearance layer: its dictionary (without `/Length`) and its encoded data. */
export class AppearanceStream {
  constructor(
    readonly dict: PdfDict,
    /** The stream data exactly as it goes between `stream` and `endstream`. */
    readonly data: Uint8Array,
  ) {}
}

/** One indirect object of an appearance. */
export interface AppearanceObject {
  readonly ref: PdfRef;
  readonly value: PdfValue | AppearanceStream;
}

/**
 * A self-contained form XObject (ISO 32000-1 §8.10): `/BBox [0 0 width height]`, a `/Matrix` that
 * turns it upright on a rotated page, and `/Resources` naming only objects in {@link objects}.
 */
export interface FormXObject {
  /** The form XObject itself; one of {@link objects}. */
  readonly root: PdfRef;
  /** Every object the form needs, the root included, numbered from 1 (or as renumbered). */
  readonly objects: readonly AppearanceObject[];
  /** `/BBox` width and height, in form space (points unless the page has a UserUnit). */
  readonly width: number;
  readonly height: number;
  /** The `/Matrix` written in the form, `[1 0 0 1 0 0]` unless placed on a rotated page. */
  readonly matrix: readonly [number, number, number, number, number, number];
  /** Problems that did not stop the build (an image of the wrong colour, without transparency). */
  readonly warnings: readonly AppearanceWarning[];
}

/** Hands out local object numbers while an appearance is built. */
export class ObjectAllocator {
  private readonly list: { ref: PdfRef; value: PdfValue | AppearanceStream | undefined }[] = [];

  /** Reserves a number, for an object whose value is set later with {@link set}. */
  reserve(): PdfRef {
    const ref = new PdfRef(this.list.length + 1, 0);
    this.list.push({ ref, value: undefined });
    return ref;
  }

  /** Adds an object and returns its reference. */
  add(value: PdfValue | AppearanceStream): PdfRef {
    const ref = this.reserve();
    this.set(ref, value);
    return ref;
  }

  set(ref: PdfRef, value: PdfValue | AppearanceStream): void {
    const slot = this.list[ref.num - 1];
    if (!slot || slot.ref !== ref) throw new Error(`object ${ref.num} was not reserved here`);
    slot.value = value;
  }

  objects(): AppearanceObject[] {
    return this.list.map(({ ref, value }) => {
      if (value === undefined) throw new Error(`object ${ref.num} was reserved but never set`);
      return { ref, value };
    });
  }
}

/** A name object. */
export const name = (n: string): PdfName => new PdfName(n);

/** A dictionary made by kyso (no file offsets); `undefined` entries are left out. */
export function dict(entries: Record<string, PdfValue | undefined>): PdfDict {
  const map = new Map<string, PdfValue>();
  for (const [key, value] of Object.entries(entries)) if (value !== undefined) map.set(key, value);
  return new PdfDict(map, -1, -1);
}

/** A literal string of bytes (written in hex by kyso's writer if it likes). */
export const bytesString = (bytes: Uint8Array, hex = true): PdfString => new PdfString(bytes, hex, -1, -1);

/** A Flate-compressed stream. */
export function flateStream(
  entries: Record<string, PdfValue | undefined>,
  data: Uint8Array,
): AppearanceStream {
  return new AppearanceStream(
    dict({ ...entries, Filter: name('FlateDecode') }),
    zlibSync(data, { level: 9 }),
  );
}

/** A number as PDF writes it: at most 4 decimals, no exponent, no `-0`. */
export function num(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  const r = Math.round(n * 10000) / 10000;
  return Object.is(r, -0) ? '0' : String(r);
}

/**
 * Gives the objects of `form` the numbers `firstNumber`, `firstNumber + 1`, … (in order), and
 * rewrites every reference between them. References to anything else are left alone. Use it to
 * copy an appearance into an increment whose next free object number is `firstNumber`.
 */
export function renumberAppearance(form: FormXObject, firstNumber: number): FormXObject {
  const map = new Map<number, PdfRef>();
  for (const [i, o] of form.objects.entries()) map.set(o.ref.num, new PdfRef(firstNumber + i, 0));
  const visit = (v: PdfValue): PdfValue => {
    if (v instanceof PdfRef) return v.gen === 0 ? (map.get(v.num) ?? v) : v;
    if (Array.isArray(v)) return v.map(visit);
    if (v instanceof PdfDict) return visitDict(v);
    return v;
  };
  const visitDict = (d: PdfDict): PdfDict => {
    const out = new Map<string, PdfValue>();
    for (const [k, v] of d.map) out.set(k, visit(v));
    return new PdfDict(out, -1, -1);
  };
  const objects = form.objects.map((o) => ({
    ref: map.get(o.ref.num)!,
    value:
      o.value instanceof AppearanceStream
        ? new AppearanceStream(visitDict(o.value.dict), o.value.data)
        : visit(o.value),
  }));
  return { ...form, root: map.get(form.root.num)!, objects };
}
