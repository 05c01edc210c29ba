import * as Brand from '../../wailsjs/go/service/BrandService';
import type { BrandKit } from './types';

export const getBrand = () => Brand.Get();
export const checkBrand = (kit: BrandKit) => Brand.Check(kit);
export const saveBrand = (kit: BrandKit) => Brand.Save(kit);
export const uploadLogo = (fileName: string, base64: string) =>
  Brand.UploadLogo(fileName, base64);
export const removeLogo = () => Brand.RemoveLogo();

/** Reads a browser File as base64 without the data: prefix. */
export function fileToBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => {
      const s = String(r.result);
      resolve(s.slice(s.indexOf(',') + 1));
    };
    r.onerror = () => reject('{"code":"invalid","message":"The file could not be read. Choose it again."}');
    r.readAsDataURL(file);
  });
}
