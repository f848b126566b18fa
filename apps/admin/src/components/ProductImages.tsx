import { fieldErrorsOf, type RouterOutputs } from '@buybuy/client';
import { useMutation } from '@tanstack/react-query';
import { type DragEvent, useId, useState } from 'react';

import { api } from '../api';
import { messageOf, otherErrorsOf } from '../errors';
import { uploadImage } from '../upload';
import { Alert, TextField } from './ui';

type Product = RouterOutputs['products']['byId'];

interface DraftImage {
  key: string;
  image_url: string;
  thumbnail_url: string | null;
  alt_text: string;
  is_primary: boolean;
}

const ACCEPT = 'image/jpeg,image/png,image/webp,image/avif';

const toDraft = (image: Product['images'][number]): DraftImage => ({
  key: `saved-${image.id}`,
  image_url: image.image_url,
  thumbnail_url: image.thumbnail_url,
  alt_text: image.alt_text,
  is_primary: image.is_primary,
});

/**
 * The product's images as an editable list. Moves, alt texts, the primary
 * choice and removals stay local until "Save images"; an upload saves the
 * list as shown with the new images at the end (`images` replaces the set,
 * in order).
 */
export function ProductImages({
  product,
  onSaved,
}: {
  product: Product;
  onSaved: (product: Product, message: string) => Promise<void>;
}) {
  const [draft, setDraft] = useState<DraftImage[]>(() => product.images.map(toDraft));
  const [dirty, setDirty] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [uploadErrors, setUploadErrors] = useState<string[]>([]);
  const inputId = useId();

  const save = useMutation({
    mutationFn: (images: DraftImage[]) =>
      api.products.update.mutate({
        id: product.id,
        images: images.map(({ image_url, thumbnail_url, alt_text, is_primary }) => ({
          image_url,
          thumbnail_url,
          alt_text,
          is_primary,
        })),
      }),
  });
  const upload = useMutation({
    mutationFn: async (files: File[]) => {
      const added: DraftImage[] = [];
      const problems: string[] = [];
      for (const file of files) {
        try {
          const image = await uploadImage(file);
          added.push({
            key: `new-${image.image_url}`,
            image_url: image.image_url,
            thumbnail_url: image.thumbnail_url,
            alt_text: '',
            is_primary: false,
          });
        } catch (error) {
          problems.push(`${file.name}: ${messageOf(error)}`);
        }
      }
      setUploadErrors(problems);
      if (added.length === 0) return null;
      const images = [...draft, ...added];
      if (!images.some((image) => image.is_primary)) images[0]!.is_primary = true;
      const updated = await save.mutateAsync(images);
      return { updated, count: added.length };
    },
    onSuccess: async (result) => {
      if (!result) return;
      const { updated, count } = result;
      await onSaved(updated, `${count} image${count === 1 ? '' : 's'} uploaded.`);
    },
  });

  const change = (next: DraftImage[]) => {
    setDraft(next);
    setDirty(true);
  };
  const move = (index: number, by: -1 | 1) => {
    const next = [...draft];
    const [image] = next.splice(index, 1);
    next.splice(index + by, 0, image!);
    change(next);
  };
  const makePrimary = (index: number) =>
    change(draft.map((image, i) => ({ ...image, is_primary: i === index })));
  const removeAt = (index: number) => {
    const next = draft.filter((_, i) => i !== index);
    // Keep one primary image while any image is left.
    if (next.length > 0 && !next.some((image) => image.is_primary))
      next[0] = { ...next[0]!, is_primary: true };
    change(next);
  };
  const setAlt = (index: number, alt: string) =>
    change(draft.map((image, i) => (i === index ? { ...image, alt_text: alt } : image)));

  const start = (files: FileList | null) => {
    if (!files || files.length === 0) return;
    save.reset();
    upload.mutate([...files]);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    start(event.dataTransfer.files);
  };

  const busy = upload.isPending || save.isPending;
  const fields = fieldErrorsOf(save.error);
  const others = otherErrorsOf(
    save.error,
    draft.flatMap((_, i) => [`images.${i}.alt_text`, `images.${i}.is_primary`]),
  );

  return (
    <section className="card" aria-labelledby="images-heading">
      <h2 id="images-heading">Images</h2>
      <div aria-live="polite">
        {upload.isPending && <p className="status">Uploading…</p>}
        {uploadErrors.length > 0 && (
          <Alert>
            <p>Some files could not be uploaded:</p>
            <ul>
              {uploadErrors.map((text) => (
                <li key={text}>{text}</li>
              ))}
            </ul>
          </Alert>
        )}
        {(save.error || upload.error) && (
          <Alert>
            <p>{messageOf(save.error ?? upload.error)}</p>
            {others.length > 0 && (
              <ul>
                {others.map((text) => (
                  <li key={text}>{text}</li>
                ))}
              </ul>
            )}
          </Alert>
        )}
      </div>

      <div
        className={`dropzone${dragging ? ' dragging' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          event.dataTransfer.dropEffect = 'copy';
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="dropzone"
      >
        <p>Drag images here (JPEG, PNG, WebP or AVIF), or</p>
        <input
          id={inputId}
          className="visually-hidden file-input"
          type="file"
          accept={ACCEPT}
          multiple
          disabled={busy}
          onChange={(event) => {
            start(event.target.files);
            event.target.value = '';
          }}
        />
        <label htmlFor={inputId} className="button secondary">
          Choose images from your computer
        </label>
        {dirty && draft.length > 0 && (
          <p className="hint">Uploading also saves the changes below.</p>
        )}
      </div>

      {draft.length === 0 ? (
        <p className="empty">This product has no images yet.</p>
      ) : (
        <ol className="images">
          {draft.map((image, index) => (
            <li key={image.key} className={image.is_primary ? 'primary' : undefined}>
              <img
                src={image.thumbnail_url ?? image.image_url}
                alt={image.alt_text}
                width={96}
                height={96}
              />
              <fieldset>
                <legend>
                  Image {index + 1} of {draft.length}
                  {image.is_primary && <span className="badge ok">Primary</span>}
                </legend>
                <TextField
                  label="Alt text"
                  name={`alt_text_${index}`}
                  hint="Describe the picture for people who cannot see it."
                  value={image.alt_text}
                  onChange={(event) => setAlt(index, event.target.value)}
                  error={fields[`images.${index}.alt_text`]}
                />
                <div className="checkbox">
                  <input
                    id={`${inputId}-primary-${index}`}
                    type="radio"
                    name="primary_image"
                    checked={image.is_primary}
                    onChange={() => makePrimary(index)}
                  />
                  <label htmlFor={`${inputId}-primary-${index}`}>Primary image</label>
                </div>
                {fields[`images.${index}.is_primary`] && (
                  <span className="field-error">{fields[`images.${index}.is_primary`]}</span>
                )}
                <div className="actions">
                  <button
                    type="button"
                    className="button secondary small"
                    aria-label={`Move image ${index + 1} up`}
                    disabled={index === 0}
                    onClick={() => move(index, -1)}
                  >
                    ↑ Up
                  </button>
                  <button
                    type="button"
                    className="button secondary small"
                    aria-label={`Move image ${index + 1} down`}
                    disabled={index === draft.length - 1}
                    onClick={() => move(index, 1)}
                  >
                    ↓ Down
                  </button>
                  <button
                    type="button"
                    className="button danger small"
                    aria-label={`Remove image ${index + 1}`}
                    onClick={() => removeAt(index)}
                  >
                    Remove
                  </button>
                </div>
              </fieldset>
            </li>
          ))}
        </ol>
      )}

      <div className="actions">
        <button
          type="button"
          className="button"
          disabled={!dirty || busy}
          onClick={() =>
            save.mutate(draft, {
              onSuccess: (updated) => {
                setDirty(false);
                // The page's follow-up (a message, a refetch) reports its own failures.
                void onSaved(updated, 'Images saved.');
              },
            })
          }
        >
          {save.isPending && !upload.isPending ? 'Saving…' : 'Save images'}
        </button>
        {dirty && (
          <button
            type="button"
            className="button secondary"
            disabled={busy}
            onClick={() => {
              setDraft(product.images.map(toDraft));
              setDirty(false);
              save.reset();
            }}
          >
            Discard changes
          </button>
        )}
      </div>
    </section>
  );
}
