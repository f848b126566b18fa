/**
 * The BuyBuy tRPC router as a client sees it: every procedure's kind, input
 * and output, the error shape and the transformer. Generated from the
 * server's router types (`AppRouter` in @buybuy/api), written out in full
 * so that the published SDK names no server package: the server's context
 * and procedure meta (database, Redis, OpenAPI settings) are left out, as a
 * client never sees them.
 * Do not edit: run `pnpm --filter @buybuy/client generate`.
 */

import type { TRPCBuiltRouter, TRPCMutationProcedure, TRPCQueryProcedure } from '@trpc/server';

/** The error of every failed call; its `data` has the machine code, the HTTP status and the field errors. */
export type ErrorShape = {
  message: string;
  code:
    | -32600
    | -32013
    | -32015
    | -32004
    | -32001
    | -32003
    | -32009
    | -32603
    | -32099
    | -32005
    | -32700
    | -32002
    | -32012
    | -32028
    | -32008
    | -32029
    | -32022;
  data: {
    code:
      | 'VALIDATION'
      | 'MALFORMED_JSON'
      | 'BAD_REQUEST'
      | 'PAYLOAD_TOO_LARGE'
      | 'UNSUPPORTED_MEDIA_TYPE'
      | 'NOT_FOUND'
      | 'METHOD_NOT_ALLOWED'
      | 'REQUEST_TIMEOUT'
      | 'URI_TOO_LONG'
      | 'HEADERS_TOO_LARGE'
      | 'RATE_LIMITED'
      | 'UNSUPPORTED_IMAGE_TYPE'
      | 'INVALID_IMAGE'
      | 'UNAUTHORIZED'
      | 'INVALID_TOKEN'
      | 'TOKEN_EXPIRED'
      | 'SESSION_REVOKED'
      | 'REFRESH_TOKEN_REUSED'
      | 'INVALID_CREDENTIALS'
      | 'ACCOUNT_DISABLED'
      | 'FORBIDDEN'
      | 'INVALID_API_KEY'
      | 'API_KEY_EXPIRED'
      | 'API_KEY_REVOKED'
      | 'INSUFFICIENT_SCOPE'
      | 'EMAIL_TAKEN'
      | 'USERNAME_TAKEN'
      | 'SLUG_TAKEN'
      | 'CATEGORY_NOT_EMPTY'
      | 'PRODUCT_IN_USE'
      | 'CONFLICT'
      | 'CATEGORY_CYCLE'
      | 'PARENT_NOT_FOUND'
      | 'CATEGORY_NOT_FOUND'
      | 'MULTIPLE_PRIMARY_IMAGES'
      | 'CANNOT_CHANGE_OWN_ACCESS'
      | 'LAST_ADMIN'
      | 'LINK_INVALID'
      | 'LINK_EXPIRED'
      | 'WRONG_PASSWORD'
      | 'OUT_OF_STOCK'
      | 'PRODUCT_UNAVAILABLE'
      | 'CART_EMPTY'
      | 'INVALID_TRANSITION'
      | 'SHIPPING_METHOD_NOT_FOUND'
      | 'IDEMPOTENCY_KEY_REUSED'
      | 'IDEMPOTENCY_KEY_IN_PROGRESS'
      | 'SERVICE_UNAVAILABLE'
      | 'INTERNAL';
    httpStatus: number;
    errors: Array<{
      field: null | string;
      code:
        | 'VALIDATION'
        | 'MALFORMED_JSON'
        | 'BAD_REQUEST'
        | 'PAYLOAD_TOO_LARGE'
        | 'UNSUPPORTED_MEDIA_TYPE'
        | 'NOT_FOUND'
        | 'METHOD_NOT_ALLOWED'
        | 'REQUEST_TIMEOUT'
        | 'URI_TOO_LONG'
        | 'HEADERS_TOO_LARGE'
        | 'RATE_LIMITED'
        | 'UNSUPPORTED_IMAGE_TYPE'
        | 'INVALID_IMAGE'
        | 'UNAUTHORIZED'
        | 'INVALID_TOKEN'
        | 'TOKEN_EXPIRED'
        | 'SESSION_REVOKED'
        | 'REFRESH_TOKEN_REUSED'
        | 'INVALID_CREDENTIALS'
        | 'ACCOUNT_DISABLED'
        | 'FORBIDDEN'
        | 'INVALID_API_KEY'
        | 'API_KEY_EXPIRED'
        | 'API_KEY_REVOKED'
        | 'INSUFFICIENT_SCOPE'
        | 'EMAIL_TAKEN'
        | 'USERNAME_TAKEN'
        | 'SLUG_TAKEN'
        | 'CATEGORY_NOT_EMPTY'
        | 'PRODUCT_IN_USE'
        | 'CONFLICT'
        | 'CATEGORY_CYCLE'
        | 'PARENT_NOT_FOUND'
        | 'CATEGORY_NOT_FOUND'
        | 'MULTIPLE_PRIMARY_IMAGES'
        | 'CANNOT_CHANGE_OWN_ACCESS'
        | 'LAST_ADMIN'
        | 'LINK_INVALID'
        | 'LINK_EXPIRED'
        | 'WRONG_PASSWORD'
        | 'OUT_OF_STOCK'
        | 'PRODUCT_UNAVAILABLE'
        | 'CART_EMPTY'
        | 'INVALID_TRANSITION'
        | 'SHIPPING_METHOD_NOT_FOUND'
        | 'IDEMPOTENCY_KEY_REUSED'
        | 'IDEMPOTENCY_KEY_IN_PROGRESS'
        | 'SERVICE_UNAVAILABLE'
        | 'INTERNAL';
      message: string;
    }>;
    retryAfter?: undefined | number;
  };
};

export type AppRouter = TRPCBuiltRouter<
  {
    ctx: object;
    meta: object;
    errorShape: ErrorShape;
    transformer: true;
  },
  {
    auth: {
      register: TRPCMutationProcedure<{
        input: {
          username: string;
          email: string;
          password: string;
          first_name?: undefined | string;
          last_name?: undefined | string;
        };
        output: {
          user: {
            id: number;
            username: string;
            email: string;
            first_name: string;
            last_name: string;
            is_active: boolean;
            is_staff: boolean;
            email_verified_at: null | string;
            created_at: string;
            updated_at: string;
          };
          tokens: {
            access_token: string;
            refresh_token: string;
            token_type: 'Bearer';
            expires_in: number;
          };
        };
        meta: object;
      }>;
      login: TRPCMutationProcedure<{
        input: { email: string; password: string };
        output: {
          user: {
            id: number;
            username: string;
            email: string;
            first_name: string;
            last_name: string;
            is_active: boolean;
            is_staff: boolean;
            email_verified_at: null | string;
            created_at: string;
            updated_at: string;
          };
          tokens: {
            access_token: string;
            refresh_token: string;
            token_type: 'Bearer';
            expires_in: number;
          };
        };
        meta: object;
      }>;
      refresh: TRPCMutationProcedure<{
        input: { refresh_token: string };
        output: {
          tokens: {
            access_token: string;
            refresh_token: string;
            token_type: 'Bearer';
            expires_in: number;
          };
        };
        meta: object;
      }>;
      logout: TRPCMutationProcedure<{
        input: { [key: string]: never };
        output: null;
        meta: object;
      }>;
      requestPasswordReset: TRPCMutationProcedure<{
        input: { email: string };
        output: null;
        meta: object;
      }>;
      resetPassword: TRPCMutationProcedure<{
        input: { token: string; password: string };
        output: null;
        meta: object;
      }>;
      verifyEmail: TRPCMutationProcedure<{
        input: { token: string };
        output: { email: string; email_verified_at: null | string };
        meta: object;
      }>;
      resendVerification: TRPCMutationProcedure<{
        input: { [key: string]: never };
        output: null;
        meta: object;
      }>;
      confirmEmailChange: TRPCMutationProcedure<{
        input: { token: string };
        output: { email: string; email_verified_at: null | string };
        meta: object;
      }>;
    };
    users: {
      profile: TRPCQueryProcedure<{
        input: { [key: string]: never };
        output: {
          id: number;
          username: string;
          email: string;
          first_name: string;
          last_name: string;
          is_active: boolean;
          is_staff: boolean;
          email_verified_at: null | string;
          created_at: string;
          updated_at: string;
          profile: { phone: string; address: string; city: string; country: string };
        };
        meta: object;
      }>;
      updateProfile: TRPCMutationProcedure<{
        input: {
          first_name?: undefined | string;
          last_name?: undefined | string;
          phone?: undefined | string;
          address?: undefined | string;
          city?: undefined | string;
          country?: undefined | string;
        };
        output: {
          id: number;
          username: string;
          email: string;
          first_name: string;
          last_name: string;
          is_active: boolean;
          is_staff: boolean;
          email_verified_at: null | string;
          created_at: string;
          updated_at: string;
          profile: { phone: string; address: string; city: string; country: string };
        };
        meta: object;
      }>;
      changePassword: TRPCMutationProcedure<{
        input: { current_password: string; new_password: string };
        output: null;
        meta: object;
      }>;
      requestEmailChange: TRPCMutationProcedure<{
        input: { new_email: string; current_password: string };
        output: null;
        meta: object;
      }>;
      list: TRPCQueryProcedure<{
        input: {
          search?: undefined | string;
          page?: undefined | string | number;
          per_page?: undefined | string | number;
        };
        output: {
          items: Array<{
            id: number;
            username: string;
            email: string;
            first_name: string;
            last_name: string;
            is_active: boolean;
            is_staff: boolean;
            email_verified_at: null | string;
            created_at: string;
            updated_at: string;
          }>;
          pagination: { page: number; per_page: number; total: number; total_pages: number };
        };
        meta: object;
      }>;
      byId: TRPCQueryProcedure<{
        input: { id: string | number };
        output: {
          id: number;
          username: string;
          email: string;
          first_name: string;
          last_name: string;
          is_active: boolean;
          is_staff: boolean;
          email_verified_at: null | string;
          created_at: string;
          updated_at: string;
          profile: { phone: string; address: string; city: string; country: string };
          order_count: number;
          session_count: number;
        };
        meta: object;
      }>;
      update: TRPCMutationProcedure<{
        input: {
          id: string | number;
          is_active?: undefined | boolean;
          is_staff?: undefined | boolean;
        };
        output: {
          id: number;
          username: string;
          email: string;
          first_name: string;
          last_name: string;
          is_active: boolean;
          is_staff: boolean;
          email_verified_at: null | string;
          created_at: string;
          updated_at: string;
          profile: { phone: string; address: string; city: string; country: string };
          order_count: number;
          session_count: number;
        };
        meta: object;
      }>;
    };
    categories: {
      list: TRPCQueryProcedure<{
        input: {
          tree?: undefined | '0' | '1' | 'true' | 'false' | boolean;
          include_inactive?: undefined | '0' | '1' | 'true' | 'false' | boolean;
        };
        output: Array<
          {
            id: number;
            name: string;
            description: null | string;
            slug: string;
            parent_id: null | number;
            is_active: boolean;
            created_at: string;
            updated_at: string;
          } & Recursive
        >;
        meta: object;
      }>;
      byId: TRPCQueryProcedure<{
        input: { id: string | number };
        output: {
          id: number;
          name: string;
          description: null | string;
          slug: string;
          parent_id: null | number;
          is_active: boolean;
          created_at: string;
          updated_at: string;
          children: Array<{
            id: number;
            name: string;
            description: null | string;
            slug: string;
            parent_id: null | number;
            is_active: boolean;
            created_at: string;
            updated_at: string;
          }>;
        };
        meta: object;
      }>;
      create: TRPCMutationProcedure<{
        input: {
          name: string;
          description?: undefined | null | string;
          slug?: undefined | string;
          parent_id?: undefined | null | string | number;
          is_active?: undefined | boolean;
        };
        output: {
          id: number;
          name: string;
          description: null | string;
          slug: string;
          parent_id: null | number;
          is_active: boolean;
          created_at: string;
          updated_at: string;
        };
        meta: object;
      }>;
      update: TRPCMutationProcedure<{
        input: {
          id: string | number;
          name?: undefined | string;
          description?: undefined | null | string;
          slug?: undefined | string;
          parent_id?: undefined | null | string | number;
          is_active?: undefined | boolean;
        };
        output: {
          id: number;
          name: string;
          description: null | string;
          slug: string;
          parent_id: null | number;
          is_active: boolean;
          created_at: string;
          updated_at: string;
        };
        meta: object;
      }>;
      delete: TRPCMutationProcedure<{ input: { id: string | number }; output: null; meta: object }>;
    };
    products: {
      list: TRPCQueryProcedure<{
        input: {
          category_id?: undefined | string | number;
          min_price?: undefined | string | number;
          max_price?: undefined | string | number;
          search?: undefined | string;
          in_stock?: undefined | '0' | '1' | 'true' | 'false' | boolean;
          sort?: undefined | 'name' | 'relevance' | 'newest' | 'price_asc' | 'price_desc';
          include_inactive?: undefined | '0' | '1' | 'true' | 'false' | boolean;
          page?: undefined | string | number;
          per_page?: undefined | string | number;
        };
        output: {
          items: Array<{
            category: { id: number; name: string; slug: string };
            primary_image: null | {
              id: number;
              image_url: string;
              thumbnail_url: null | string;
              alt_text: string;
              is_primary: boolean;
              position: number;
              variants: 'none' | 'pending' | 'ready';
            };
            id: number;
            name: string;
            description: null | string;
            price: string;
            category_id: number;
            stock_quantity: number;
            is_active: boolean;
            created_at: string;
            updated_at: string;
          }>;
          pagination: { page: number; per_page: number; total: number; total_pages: number };
        };
        meta: object;
      }>;
      byId: TRPCQueryProcedure<{
        input: { id: string | number };
        output: {
          category: { id: number; name: string; slug: string };
          images: Array<{
            id: number;
            image_url: string;
            thumbnail_url: null | string;
            alt_text: string;
            is_primary: boolean;
            position: number;
            variants: 'none' | 'pending' | 'ready';
          }>;
          id: number;
          name: string;
          description: null | string;
          price: string;
          category_id: number;
          stock_quantity: number;
          is_active: boolean;
          created_at: string;
          updated_at: string;
        };
        meta: object;
      }>;
      create: TRPCMutationProcedure<{
        input: {
          name: string;
          price: string | number;
          category_id: string | number;
          description?: undefined | null | string;
          stock_quantity?: undefined | number;
          is_active?: undefined | boolean;
          images?:
            | undefined
            | Array<{
                image_url: string;
                thumbnail_url?: undefined | null | string;
                alt_text?: undefined | string;
                is_primary?: undefined | boolean;
              }>;
        };
        output: {
          category: { id: number; name: string; slug: string };
          images: Array<{
            id: number;
            image_url: string;
            thumbnail_url: null | string;
            alt_text: string;
            is_primary: boolean;
            position: number;
            variants: 'none' | 'pending' | 'ready';
          }>;
          id: number;
          name: string;
          description: null | string;
          price: string;
          category_id: number;
          stock_quantity: number;
          is_active: boolean;
          created_at: string;
          updated_at: string;
        };
        meta: object;
      }>;
      update: TRPCMutationProcedure<{
        input: {
          id: string | number;
          name?: undefined | string;
          description?: undefined | null | string;
          price?: undefined | string | number;
          category_id?: undefined | string | number;
          stock_quantity?: undefined | number;
          is_active?: undefined | boolean;
          images?:
            | undefined
            | Array<{
                image_url: string;
                thumbnail_url?: undefined | null | string;
                alt_text?: undefined | string;
                is_primary?: undefined | boolean;
              }>;
        };
        output: {
          category: { id: number; name: string; slug: string };
          images: Array<{
            id: number;
            image_url: string;
            thumbnail_url: null | string;
            alt_text: string;
            is_primary: boolean;
            position: number;
            variants: 'none' | 'pending' | 'ready';
          }>;
          id: number;
          name: string;
          description: null | string;
          price: string;
          category_id: number;
          stock_quantity: number;
          is_active: boolean;
          created_at: string;
          updated_at: string;
        };
        meta: object;
      }>;
      delete: TRPCMutationProcedure<{ input: { id: string | number }; output: null; meta: object }>;
    };
    shop: {
      info: TRPCQueryProcedure<{
        input: { [key: string]: never };
        output: { name: string; currency: string };
        meta: object;
      }>;
    };
    cart: {
      get: TRPCQueryProcedure<{
        input: { [key: string]: never };
        output: {
          items: Array<{
            product_id: number;
            name: string;
            unit_price: string;
            quantity: number;
            line_total: string;
            stock_quantity: number;
            is_available: boolean;
            primary_image: null | {
              id: number;
              image_url: string;
              thumbnail_url: null | string;
              alt_text: string;
              is_primary: boolean;
              position: number;
              variants: 'none' | 'pending' | 'ready';
            };
          }>;
          subtotal: string;
          currency: string;
          item_count: number;
          cart_token?: undefined | string;
        };
        meta: object;
      }>;
      addItem: TRPCMutationProcedure<{
        input: { product_id: string | number; quantity: number };
        output: {
          items: Array<{
            product_id: number;
            name: string;
            unit_price: string;
            quantity: number;
            line_total: string;
            stock_quantity: number;
            is_available: boolean;
            primary_image: null | {
              id: number;
              image_url: string;
              thumbnail_url: null | string;
              alt_text: string;
              is_primary: boolean;
              position: number;
              variants: 'none' | 'pending' | 'ready';
            };
          }>;
          subtotal: string;
          currency: string;
          item_count: number;
          cart_token?: undefined | string;
        };
        meta: object;
      }>;
      updateItem: TRPCMutationProcedure<{
        input: { product_id: string | number; quantity: number };
        output: {
          items: Array<{
            product_id: number;
            name: string;
            unit_price: string;
            quantity: number;
            line_total: string;
            stock_quantity: number;
            is_available: boolean;
            primary_image: null | {
              id: number;
              image_url: string;
              thumbnail_url: null | string;
              alt_text: string;
              is_primary: boolean;
              position: number;
              variants: 'none' | 'pending' | 'ready';
            };
          }>;
          subtotal: string;
          currency: string;
          item_count: number;
          cart_token?: undefined | string;
        };
        meta: object;
      }>;
      removeItem: TRPCMutationProcedure<{
        input: { product_id: string | number };
        output: {
          items: Array<{
            product_id: number;
            name: string;
            unit_price: string;
            quantity: number;
            line_total: string;
            stock_quantity: number;
            is_available: boolean;
            primary_image: null | {
              id: number;
              image_url: string;
              thumbnail_url: null | string;
              alt_text: string;
              is_primary: boolean;
              position: number;
              variants: 'none' | 'pending' | 'ready';
            };
          }>;
          subtotal: string;
          currency: string;
          item_count: number;
          cart_token?: undefined | string;
        };
        meta: object;
      }>;
      clear: TRPCMutationProcedure<{
        input: { [key: string]: never };
        output: {
          items: Array<{
            product_id: number;
            name: string;
            unit_price: string;
            quantity: number;
            line_total: string;
            stock_quantity: number;
            is_available: boolean;
            primary_image: null | {
              id: number;
              image_url: string;
              thumbnail_url: null | string;
              alt_text: string;
              is_primary: boolean;
              position: number;
              variants: 'none' | 'pending' | 'ready';
            };
          }>;
          subtotal: string;
          currency: string;
          item_count: number;
          cart_token?: undefined | string;
        };
        meta: object;
      }>;
    };
    shippingMethods: {
      list: TRPCQueryProcedure<{
        input: { include_inactive?: undefined | '0' | '1' | 'true' | 'false' | boolean };
        output: Array<{
          id: number;
          name: string;
          price: string;
          is_active: boolean;
          created_at: string;
          updated_at: string;
        }>;
        meta: object;
      }>;
      create: TRPCMutationProcedure<{
        input: { name: string; price: string | number; is_active?: undefined | boolean };
        output: {
          id: number;
          name: string;
          price: string;
          is_active: boolean;
          created_at: string;
          updated_at: string;
        };
        meta: object;
      }>;
      update: TRPCMutationProcedure<{
        input: {
          id: string | number;
          name?: undefined | string;
          price?: undefined | string | number;
          is_active?: undefined | boolean;
        };
        output: {
          id: number;
          name: string;
          price: string;
          is_active: boolean;
          created_at: string;
          updated_at: string;
        };
        meta: object;
      }>;
      delete: TRPCMutationProcedure<{ input: { id: string | number }; output: null; meta: object }>;
    };
    orders: {
      place: TRPCMutationProcedure<{
        input: {
          email: string;
          shipping_address: {
            full_name: string;
            line1: string;
            city: string;
            postal_code: string;
            country: string;
            line2?: undefined | null | string;
            phone?: undefined | null | string;
          };
          shipping_method_id: string | number;
        };
        output: {
          id: number;
          number: string;
          status: 'pending_payment' | 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'refunded';
          email: string;
          items: Array<{
            product_id: null | number;
            name: string;
            unit_price: string;
            quantity: number;
            line_total: string;
          }>;
          subtotal: string;
          shipping_total: string;
          total: string;
          currency: string;
          shipping_address: {
            full_name: string;
            line1: string;
            line2: null | string;
            city: string;
            postal_code: string;
            country: string;
            phone: null | string;
          };
          shipping_method: { id: null | number; name: string; price: string };
          payment_provider: string;
          tracking_number: null | string;
          history: Array<{
            from_status:
              | null
              | 'pending_payment'
              | 'paid'
              | 'shipped'
              | 'delivered'
              | 'cancelled'
              | 'refunded';
            to_status:
              'pending_payment' | 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'refunded';
            actor: string;
            note: null | string;
            created_at: string;
          }>;
          created_at: string;
          updated_at: string;
          actions: Array<'pay' | 'ship' | 'deliver' | 'cancel' | 'refund'>;
          order_token: string;
          payment_instructions: string;
        };
        meta: object;
      }>;
      list: TRPCQueryProcedure<{
        input: {
          status?:
            | undefined
            | 'pending_payment'
            | 'paid'
            | 'shipped'
            | 'delivered'
            | 'cancelled'
            | 'refunded';
          email?: undefined | string;
          number?: undefined | string;
          created_from?: undefined | string;
          created_to?: undefined | string;
          page?: undefined | string | number;
          per_page?: undefined | string | number;
        };
        output: {
          items: Array<{
            id: number;
            number: string;
            status: 'pending_payment' | 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'refunded';
            email: string;
            item_count: number;
            subtotal: string;
            shipping_total: string;
            total: string;
            currency: string;
            created_at: string;
            updated_at: string;
          }>;
          pagination: { page: number; per_page: number; total: number; total_pages: number };
        };
        meta: object;
      }>;
      byId: TRPCQueryProcedure<{
        input: { id: string | number };
        output: {
          id: number;
          number: string;
          status: 'pending_payment' | 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'refunded';
          email: string;
          items: Array<{
            product_id: null | number;
            name: string;
            unit_price: string;
            quantity: number;
            line_total: string;
          }>;
          subtotal: string;
          shipping_total: string;
          total: string;
          currency: string;
          shipping_address: {
            full_name: string;
            line1: string;
            line2: null | string;
            city: string;
            postal_code: string;
            country: string;
            phone: null | string;
          };
          shipping_method: { id: null | number; name: string; price: string };
          payment_provider: string;
          tracking_number: null | string;
          history: Array<{
            from_status:
              | null
              | 'pending_payment'
              | 'paid'
              | 'shipped'
              | 'delivered'
              | 'cancelled'
              | 'refunded';
            to_status:
              'pending_payment' | 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'refunded';
            actor: string;
            note: null | string;
            created_at: string;
          }>;
          created_at: string;
          updated_at: string;
          actions: Array<'pay' | 'ship' | 'deliver' | 'cancel' | 'refund'>;
        };
        meta: object;
      }>;
      cancel: TRPCMutationProcedure<{
        input: { id: string | number; note?: undefined | string };
        output: {
          id: number;
          number: string;
          status: 'pending_payment' | 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'refunded';
          email: string;
          items: Array<{
            product_id: null | number;
            name: string;
            unit_price: string;
            quantity: number;
            line_total: string;
          }>;
          subtotal: string;
          shipping_total: string;
          total: string;
          currency: string;
          shipping_address: {
            full_name: string;
            line1: string;
            line2: null | string;
            city: string;
            postal_code: string;
            country: string;
            phone: null | string;
          };
          shipping_method: { id: null | number; name: string; price: string };
          payment_provider: string;
          tracking_number: null | string;
          history: Array<{
            from_status:
              | null
              | 'pending_payment'
              | 'paid'
              | 'shipped'
              | 'delivered'
              | 'cancelled'
              | 'refunded';
            to_status:
              'pending_payment' | 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'refunded';
            actor: string;
            note: null | string;
            created_at: string;
          }>;
          created_at: string;
          updated_at: string;
          actions: Array<'pay' | 'ship' | 'deliver' | 'cancel' | 'refund'>;
        };
        meta: object;
      }>;
      markPaid: TRPCMutationProcedure<{
        input: { id: string | number; note?: undefined | string };
        output: {
          id: number;
          number: string;
          status: 'pending_payment' | 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'refunded';
          email: string;
          items: Array<{
            product_id: null | number;
            name: string;
            unit_price: string;
            quantity: number;
            line_total: string;
          }>;
          subtotal: string;
          shipping_total: string;
          total: string;
          currency: string;
          shipping_address: {
            full_name: string;
            line1: string;
            line2: null | string;
            city: string;
            postal_code: string;
            country: string;
            phone: null | string;
          };
          shipping_method: { id: null | number; name: string; price: string };
          payment_provider: string;
          tracking_number: null | string;
          history: Array<{
            from_status:
              | null
              | 'pending_payment'
              | 'paid'
              | 'shipped'
              | 'delivered'
              | 'cancelled'
              | 'refunded';
            to_status:
              'pending_payment' | 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'refunded';
            actor: string;
            note: null | string;
            created_at: string;
          }>;
          created_at: string;
          updated_at: string;
          actions: Array<'pay' | 'ship' | 'deliver' | 'cancel' | 'refund'>;
        };
        meta: object;
      }>;
      ship: TRPCMutationProcedure<{
        input: {
          id: string | number;
          note?: undefined | string;
          tracking_number?: undefined | string;
        };
        output: {
          id: number;
          number: string;
          status: 'pending_payment' | 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'refunded';
          email: string;
          items: Array<{
            product_id: null | number;
            name: string;
            unit_price: string;
            quantity: number;
            line_total: string;
          }>;
          subtotal: string;
          shipping_total: string;
          total: string;
          currency: string;
          shipping_address: {
            full_name: string;
            line1: string;
            line2: null | string;
            city: string;
            postal_code: string;
            country: string;
            phone: null | string;
          };
          shipping_method: { id: null | number; name: string; price: string };
          payment_provider: string;
          tracking_number: null | string;
          history: Array<{
            from_status:
              | null
              | 'pending_payment'
              | 'paid'
              | 'shipped'
              | 'delivered'
              | 'cancelled'
              | 'refunded';
            to_status:
              'pending_payment' | 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'refunded';
            actor: string;
            note: null | string;
            created_at: string;
          }>;
          created_at: string;
          updated_at: string;
          actions: Array<'pay' | 'ship' | 'deliver' | 'cancel' | 'refund'>;
        };
        meta: object;
      }>;
      deliver: TRPCMutationProcedure<{
        input: { id: string | number; note?: undefined | string };
        output: {
          id: number;
          number: string;
          status: 'pending_payment' | 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'refunded';
          email: string;
          items: Array<{
            product_id: null | number;
            name: string;
            unit_price: string;
            quantity: number;
            line_total: string;
          }>;
          subtotal: string;
          shipping_total: string;
          total: string;
          currency: string;
          shipping_address: {
            full_name: string;
            line1: string;
            line2: null | string;
            city: string;
            postal_code: string;
            country: string;
            phone: null | string;
          };
          shipping_method: { id: null | number; name: string; price: string };
          payment_provider: string;
          tracking_number: null | string;
          history: Array<{
            from_status:
              | null
              | 'pending_payment'
              | 'paid'
              | 'shipped'
              | 'delivered'
              | 'cancelled'
              | 'refunded';
            to_status:
              'pending_payment' | 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'refunded';
            actor: string;
            note: null | string;
            created_at: string;
          }>;
          created_at: string;
          updated_at: string;
          actions: Array<'pay' | 'ship' | 'deliver' | 'cancel' | 'refund'>;
        };
        meta: object;
      }>;
      refund: TRPCMutationProcedure<{
        input: { id: string | number; note?: undefined | string };
        output: {
          id: number;
          number: string;
          status: 'pending_payment' | 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'refunded';
          email: string;
          items: Array<{
            product_id: null | number;
            name: string;
            unit_price: string;
            quantity: number;
            line_total: string;
          }>;
          subtotal: string;
          shipping_total: string;
          total: string;
          currency: string;
          shipping_address: {
            full_name: string;
            line1: string;
            line2: null | string;
            city: string;
            postal_code: string;
            country: string;
            phone: null | string;
          };
          shipping_method: { id: null | number; name: string; price: string };
          payment_provider: string;
          tracking_number: null | string;
          history: Array<{
            from_status:
              | null
              | 'pending_payment'
              | 'paid'
              | 'shipped'
              | 'delivered'
              | 'cancelled'
              | 'refunded';
            to_status:
              'pending_payment' | 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'refunded';
            actor: string;
            note: null | string;
            created_at: string;
          }>;
          created_at: string;
          updated_at: string;
          actions: Array<'pay' | 'ship' | 'deliver' | 'cancel' | 'refund'>;
        };
        meta: object;
      }>;
    };
    dashboard: {
      get: TRPCQueryProcedure<{
        input: { [key: string]: never };
        output: {
          today: { orders: number; revenue: string };
          last_7_days: { orders: number; revenue: string };
          orders_by_status: Array<{
            status: 'pending_payment' | 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'refunded';
            count: number;
          }>;
          low_stock: Array<{ id: number; name: string; stock_quantity: number }>;
        };
        meta: object;
      }>;
    };
    apiKeys: {
      list: TRPCQueryProcedure<{
        input: { [key: string]: never };
        output: Array<{
          id: number;
          name: string;
          prefix: string;
          scopes: Array<
            'catalog:read' | 'catalog:write' | 'orders:read' | 'orders:write' | 'dashboard:read'
          >;
          created_by: number;
          created_at: string;
          expires_at: null | string;
          revoked_at: null | string;
          last_used_at: null | string;
          status: 'active' | 'expired' | 'revoked';
        }>;
        meta: object;
      }>;
      create: TRPCMutationProcedure<{
        input: {
          name: string;
          scopes: Array<
            'catalog:read' | 'catalog:write' | 'orders:read' | 'orders:write' | 'dashboard:read'
          >;
          expires_at?: undefined | null | string;
        };
        output: {
          id: number;
          name: string;
          prefix: string;
          scopes: Array<
            'catalog:read' | 'catalog:write' | 'orders:read' | 'orders:write' | 'dashboard:read'
          >;
          created_by: number;
          created_at: string;
          expires_at: null | string;
          revoked_at: null | string;
          last_used_at: null | string;
          status: 'active' | 'expired' | 'revoked';
          secret: string;
        };
        meta: object;
      }>;
      revoke: TRPCMutationProcedure<{
        input: { id: string | number };
        output: {
          id: number;
          name: string;
          prefix: string;
          scopes: Array<
            'catalog:read' | 'catalog:write' | 'orders:read' | 'orders:write' | 'dashboard:read'
          >;
          created_by: number;
          created_at: string;
          expires_at: null | string;
          revoked_at: null | string;
          last_used_at: null | string;
          status: 'active' | 'expired' | 'revoked';
        };
        meta: object;
      }>;
    };
    jobs: {
      overview: TRPCQueryProcedure<{
        input: { limit?: undefined | string | number };
        output: {
          mode: 'none' | 'bullmq' | 'embedded';
          counts: { waiting: number; active: number; delayed: number; failed: number };
          failed: Array<{
            id: string;
            name: string;
            error: string;
            tries: number;
            failed_at: string;
            payload: unknown;
          }>;
        };
        meta: object;
      }>;
      retry: TRPCMutationProcedure<{ input: { id: string }; output: null; meta: object }>;
    };
  }
>;

type Recursive = {
  children?:
    | undefined
    | Array<
        {
          id: number;
          name: string;
          description: null | string;
          slug: string;
          parent_id: null | number;
          is_active: boolean;
          created_at: string;
          updated_at: string;
        } & Recursive
      >;
};
