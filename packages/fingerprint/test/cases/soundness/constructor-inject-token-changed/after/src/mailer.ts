import { Inject, Injector } from './di'

export class Mailer {
  constructor(@Inject('SMTP_CONFIG') private readonly config: { from: string }) {}
  sender() { return this.config.from }
}

export function mailerSender() {
  const injector = new Injector({ MAIL_CONFIG: { from: 'noreply@example.com' }, SMTP_CONFIG: { from: 'smtp@example.com' } })
  return injector.create(Mailer).sender()
}
