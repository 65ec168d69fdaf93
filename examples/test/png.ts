import { png } from '@kyso/testkit';

/** A blue handwritten-looking stroke on transparency. */
export const signaturePng = () =>
  png(400, 150, (x, y) => {
    const a = Math.abs(y - 75 - 45 * Math.sin(x / 28) * Math.cos(x / 90)) < 5;
    const b = x > 40 && x < 360 && Math.abs(y - 118 + x * 0.05) < 3;
    return a || b ? [20, 40, 200, 255] : [0, 0, 0, 0];
  });

/** A red round seal (two rings and a star) on transparency. */
export const sealPng = () =>
  png(400, 400, (x, y) => {
    const r = Math.hypot(x - 200, y - 200);
    const angle = Math.atan2(y - 200, x - 200);
    const star = r < 40 * (0.55 + 0.45 * Math.cos(5 * angle));
    return (r > 178 && r < 196) || (r > 120 && r < 128) || star ? [220, 20, 30, 255] : [0, 0, 0, 0];
  });
