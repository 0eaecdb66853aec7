import { useCollection } from '@cloudscape-design/collection-hooks';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Cards from '@cloudscape-design/components/cards';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Pagination from '@cloudscape-design/components/pagination';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import { useCallback, useState } from 'react';
import { useSearchParams } from 'react-router-dom';

import { searchProducts, type Product } from '../../../api/buyer-catalog-api.js';
import { ApiErrorAlert } from '../../../components/api-error-alert.js';
import { useApiQuery } from '../../../components/use-api-query.js';
import { BuyerLink } from '../buyer-link.js';
import { productHref } from '../buyer-links.js';
import { ProductDetail } from './product-detail.js';

const DELIVERY_METHODS: SelectProps.Option[] = [
  { value: '', label: 'All delivery methods' },
  { value: 'private-image-build', label: 'Private image build' },
];

/** Products search, or one product's page when `?productId=` names it. */
export function ProductsPage(): JSX.Element {
  const [params] = useSearchParams();
  const productId = params.get('productId');
  return productId === null ? <ProductSearch /> : <ProductDetail productId={productId} />;
}

function ProductSearch(): JSX.Element {
  const [text, setText] = useState('');
  const [method, setMethod] = useState<SelectProps.Option>(DELIVERY_METHODS[0]!);
  const [query, setQuery] = useState({ text: '', deliveryMethod: '' });
  const load = useCallback(
    (client: Parameters<typeof searchProducts>[0]) => searchProducts(client, query),
    [query],
  );
  const products = useApiQuery(load);
  const { items, collectionProps, paginationProps } = useCollection(products.data ?? [], {
    pagination: { pageSize: 12 },
  });
  const search = (deliveryMethod = method.value ?? ''): void =>
    setQuery({ text: text.trim(), deliveryMethod });

  return (
    <Box>
      {products.error !== undefined && (
        <ApiErrorAlert
          header="Could not search products"
          error={products.error}
          onRetry={products.reload}
        />
      )}
      <Cards<Product>
        {...collectionProps}
        items={items}
        loading={products.loading}
        loadingText="Searching products"
        variant="full-page"
        ariaLabels={{ itemSelectionLabel: () => '', selectionGroupLabel: 'Products' }}
        cardsPerRow={[{ cards: 1 }, { minWidth: 600, cards: 2 }, { minWidth: 1000, cards: 3 }]}
        header={
          <Header
            variant="awsui-h1-sticky"
            counter={products.data === undefined ? undefined : `(${products.data.length})`}
            description="Software sellers publish for installing onto your own images."
          >
            Products search
          </Header>
        }
        filter={
          <form
            onSubmit={(event) => {
              event.preventDefault();
              search();
            }}
          >
            <ColumnLayout columns={3}>
              <FormField label="Search products">
                <Input
                  type="search"
                  value={text}
                  placeholder="Title, description, keyword or vendor"
                  onChange={(event) => setText(event.detail.value)}
                />
              </FormField>
              <FormField label="Delivery method">
                <Select
                  selectedOption={method}
                  options={DELIVERY_METHODS}
                  onChange={(event) => {
                    setMethod(event.detail.selectedOption);
                    search(event.detail.selectedOption.value ?? '');
                  }}
                />
              </FormField>
              <FormField label={<span aria-hidden="true">&nbsp;</span>}>
                <Button formAction="submit" iconName="search">
                  Search
                </Button>
              </FormField>
            </ColumnLayout>
          </form>
        }
        pagination={<Pagination {...paginationProps} />}
        cardDefinition={{
          header: (product) => (
            <BuyerLink href={productHref(product.id)} variant="primary">
              {product.title}
            </BuyerLink>
          ),
          sections: [
            { id: 'vendor', header: 'Vendor', content: (product) => product.vendorName },
            { id: 'description', content: (product) => product.shortDescription },
            {
              id: 'delivery',
              header: 'Delivery methods',
              content: (product) =>
                product.versions.some((v) => v.fulfillmentOptions.length > 0)
                  ? 'Private image build'
                  : '-',
            },
            {
              id: 'versions',
              header: 'Latest version',
              content: (product) => product.versions[0]?.version ?? '-',
            },
          ],
        }}
        empty={
          <Box textAlign="center" color="inherit" padding={{ vertical: 's' }}>
            {products.error === undefined
              ? 'No products match the search.'
              : 'No products to show.'}
          </Box>
        }
      />
    </Box>
  );
}
