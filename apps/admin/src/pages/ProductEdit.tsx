import { type RouterOutputs } from '@buybuy/client';
import { idSchema } from '@buybuy/validators';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';

import { api, queries } from '../api';
import { Breadcrumb } from '../components/Breadcrumb';
import { Card } from '../components/Card';
import { LoadFailed } from '../components/LoadFailed';
import { ProductForm, type ProductValues } from '../components/ProductForm';
import { ProductImages } from '../components/ProductImages';
import { ConfirmDialog, LiveRegion, Loading, usePageTitle } from '../components/ui';

export type Product = RouterOutputs['products']['byId'];

/** `/products/new` creates; `/products/:id` edits the product and its images. */
export default function ProductEdit() {
  const { id } = useParams();
  const productId = idSchema.safeParse(id).data;
  if (id === undefined) return <NewProduct />;
  if (productId === undefined) return <Missing />;
  return <EditProduct key={productId} id={productId} />;
}

function NewProduct() {
  usePageTitle('New product');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (values: ProductValues) => api.products.create.mutate(values),
    onSuccess: async (product) => {
      queryClient.setQueryData(queries.products.byId.queryKey({ id: product.id }), product);
      await queryClient.invalidateQueries(queries.products.list.pathFilter());
      void navigate(`/products/${product.id}`, { state: { created: true } });
    },
  });
  return (
    <>
      <Breadcrumb to="/products" list="Products">
        New
      </Breadcrumb>
      <h1>New product</h1>
      <Card id="details-heading" title="Details">
        <ProductForm
          submitLabel="Create product"
          pending={create.isPending}
          error={create.error}
          onSubmit={(values) => create.mutate(values)}
        />
        <p className="hint">You can add images once the product is created.</p>
      </Card>
    </>
  );
}

function EditProduct({ id }: { id: number }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const justCreated = (location.state as { created?: boolean } | null)?.created === true;
  const [status, setStatus] = useState(
    justCreated ? 'Product created. You can add images now.' : '',
  );
  const [confirmDelete, setConfirmDelete] = useState(false);
  // "Created" is said once: the history entry forgets it, so a reload or Back does not repeat it.
  useEffect(() => {
    if (justCreated) void navigate(location.pathname, { replace: true, state: null });
  }, [justCreated, navigate, location.pathname]);

  const product = useQuery(queries.products.byId.queryOptions({ id }));
  usePageTitle(product.data ? `Edit ${product.data.name}` : 'Edit product');

  const saved = async (updated: Product) => {
    queryClient.setQueryData(queries.products.byId.queryKey({ id }), updated);
    await queryClient.invalidateQueries(queries.products.list.pathFilter());
  };
  const update = useMutation({
    mutationFn: (values: ProductValues) => api.products.update.mutate({ id, ...values }),
    onSuccess: async (updated) => {
      setStatus(`Product “${updated.name}” saved.`);
      await saved(updated);
    },
  });
  const remove = useMutation({
    mutationFn: () => api.products.delete.mutate({ id }),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: queries.products.byId.queryKey({ id }) });
      await queryClient.invalidateQueries(queries.products.list.pathFilter());
      void navigate('/products');
    },
  });

  if (product.isPending) return <Loading label="Loading the product…" />;
  if (product.isError) {
    return (
      <LoadFailed
        title="Edit product"
        error={product.error}
        missing={<Missing />}
        onRetry={() => void product.refetch()}
      />
    );
  }

  const current = product.data;
  return (
    <>
      <Breadcrumb to="/products" list="Products">
        {current.name}
      </Breadcrumb>
      <div className="page-head">
        <h1>Edit “{current.name}”</h1>
        <button
          type="button"
          className="button danger"
          onClick={() => {
            remove.reset();
            setConfirmDelete(true);
          }}
        >
          Delete product
        </button>
      </div>
      <LiveRegion>{status && <p className="status">{status}</p>}</LiveRegion>
      <div className="columns">
        <Card id="details-heading" title="Details">
          <ProductForm
            product={current}
            submitLabel="Save product"
            pending={update.isPending}
            error={update.error}
            onSubmit={(values) => {
              setStatus('');
              update.mutate(values);
            }}
          />
        </Card>
        <ProductImages
          // A saved image set comes back with new ids: start again from it.
          key={current.images.map((image) => image.id).join(',')}
          product={current}
          onSaved={async (updated, message) => {
            setStatus(message);
            await saved(updated);
          }}
        />
      </div>
      <ConfirmDialog
        open={confirmDelete}
        title={`Delete “${current.name}”?`}
        confirmLabel="Delete product"
        busy={remove.isPending}
        error={remove.error}
        onConfirm={() => remove.mutate()}
        onCancel={() => setConfirmDelete(false)}
      >
        <p>
          {current.images.length === 0
            ? 'The product is removed for good.'
            : `The product and its ${current.images.length === 1 ? 'image' : `${current.images.length} images`} are removed for good.`}
        </p>
      </ConfirmDialog>
    </>
  );
}

function Missing() {
  usePageTitle('Product not found');
  return (
    <>
      <h1>Product not found</h1>
      <p>
        There is no product with this id; it may have been deleted.{' '}
        <Link to="/products">Back to the products</Link>.
      </p>
    </>
  );
}
