export {
  createMailer,
  type EmailMessage,
  type Mailer,
  type MailerOptions,
  type MailLogger,
} from './mailer';
export {
  emailChangeEmail,
  type EmailContent,
  emailVerificationEmail,
  orderConfirmationEmail,
  type OrderEmail,
  passwordResetEmail,
} from './templates';
