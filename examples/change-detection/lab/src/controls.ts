/** The lab's form: settings in, settings out. */
import { LAB_WEIGHT_SCHEMES, validateLabConfig, type LabConfig } from '../../src/lab/config.js';
import { VARIANTS, type VariantName } from '../../src/train/variants.js';

const form = (): HTMLFormElement => document.querySelector<HTMLFormElement>('#controls')!;
const field = (name: string): HTMLInputElement | HTMLSelectElement => form().elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;

/** Fills the form from `c` (the scheme list and one checkbox per variant included). */
export function writeControls(c: LabConfig): void {
  const scheme = field('weightScheme') as HTMLSelectElement;
  scheme.replaceChildren(...LAB_WEIGHT_SCHEMES.map((s) => new Option(s, s)));
  const box = document.querySelector('#variants')!;
  box.querySelectorAll('label').forEach((l) => l.remove());
  for (const v of VARIANTS) {
    const label = document.createElement('label');
    label.style.flexDirection = 'row';
    const input = document.createElement('input');
    input.type = 'checkbox';
    input.name = 'variant';
    input.value = v;
    input.checked = c.variants.includes(v);
    label.append(input, ` ${v}`);
    box.append(label);
  }
  for (const k of ['changeFraction', 'weightScheme', 'weightRatio', 'width', 'lr', 'seed'] as const) field(k).value = String(c[k]);
  syncRatio();
  scheme.addEventListener('change', syncRatio);
}

/** The ratio is a setting only for the 'ratio' scheme; the others compute weights from the counts. */
function syncRatio(): void {
  (field('weightRatio') as HTMLInputElement).disabled = field('weightScheme').value !== 'ratio';
}

/** The settings in the form over `base` (the fields the form does not show). */
export function readControls(base: LabConfig): LabConfig {
  const num = (k: string): number => Number(field(k).value);
  const variants = [...form().querySelectorAll<HTMLInputElement>('input[name=variant]:checked')].map((i) => i.value as VariantName);
  return validateLabConfig({
    ...base,
    variants,
    changeFraction: num('changeFraction'),
    weightScheme: field('weightScheme').value as LabConfig['weightScheme'],
    weightRatio: num('weightRatio'),
    width: num('width'),
    lr: num('lr'),
    seed: num('seed'),
  });
}

/** Enables or disables the settings (they are fixed while a run exists). */
export function lockControls(locked: boolean): void {
  for (const el of form().querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')) el.disabled = locked;
  if (!locked) syncRatio();
}
