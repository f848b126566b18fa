/**
 * A connection URL with its password masked, for logs and error messages:
 * `mysql://shop:***@db:3306/shop`, `redis://:***@cache:6379`.
 */
export const redactUrl = (url: string): string => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
