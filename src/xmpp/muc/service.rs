//! Room services (XEP-0045 §6.1, XEP-0030): finding them on our domain, checking that an address's
//! domain is one before anything is sent there, and listing a service's rooms (§6.3) and a room's
//! details (§6.4). The rooms we are in are the rest of [`MucService`].

use super::super::context::Ctx;
use super::super::disco;
use super::super::event::{Event, RoomEvent};
use super::super::jid::BareJid;
use super::super::request::Owner;
use super::super::stanza::{IqType, StanzaError};
use super::super::xml::Element;
use super::directory::Listing;
use super::{MucRequest, MucService};

impl MucService {
    pub(super) fn ask_domain(&mut self, domain: &BareJid, cx: &mut Ctx) {
        let sent = cx.try_request(
            IqType::Get,
            Some(domain),
            disco::info_query(),
            Owner::Muc(MucRequest::ServiceInfo(domain.clone())),
        );
        if sent.is_err() {
            self.domain_known(domain, false, cx);
        }
    }

    /// Starts listing `service`'s rooms (§6.3); pages arrive as [`RoomEvent::ListPage`].
    /// Listing a service again starts over; pages still coming for the earlier listing are dropped.
    pub(crate) fn list_rooms(&mut self, service: &BareJid, cx: &mut Ctx) {
        self.listing_generation += 1;
        let listing = Listing::new(self.listing_generation);
        let set = listing.request();
        self.listings.insert(service.clone(), listing);
        self.request_page(service, set, cx);
    }

    pub(super) fn request_page(&mut self, service: &BareJid, set: Element, cx: &mut Ctx) {
        let Some(generation) = self.listings.get(service).map(|l| l.generation) else {
            return;
        };
        let sent = cx.try_request(
            IqType::Get,
            Some(service),
            disco::items_query(Some(set)),
            Owner::Muc(MucRequest::RoomList {
                service: service.clone(),
                generation,
            }),
        );
        if sent.is_err() {
            self.listings.remove(service);
            cx.emit(Event::Room(RoomEvent::ListFailed {
                service: service.clone(),
                error: None,
            }));
        }
    }

    /// Asks for a room's details (§6.4).
    pub(crate) fn room_info(&mut self, room: &BareJid, cx: &mut Ctx) {
        let _ = cx.try_request(
            IqType::Get,
            Some(room),
            disco::info_query(),
            Owner::Muc(MucRequest::RoomInfo(room.clone())),
        );
    }

    pub(super) fn domain_known(&mut self, domain: &BareJid, is_service: bool, cx: &mut Ctx) {
        self.domains.insert(domain.clone(), is_service);
        if self.candidates.remove(domain) && is_service && !self.services.contains(domain) {
            self.services.push(domain.clone());
        }
        self.maybe_services_found(cx);
        for jid in self.parked.remove(domain).unwrap_or_default() {
            if is_service {
                self.ask_room(&jid, cx);
            } else {
                self.refuse_not_a_service(&jid, cx);
            }
        }
    }

    /// Discovery is over once no candidate is waiting for an answer.
    pub(super) fn maybe_services_found(&mut self, cx: &mut Ctx) {
        let asking = cx.requests.any(|o| {
            matches!(
                o,
                Owner::Muc(MucRequest::DomainItems | MucRequest::ServiceInfo(_))
            )
        });
        if !asking && self.candidates.is_empty() {
            cx.emit(Event::Room(RoomEvent::Services(self.services.clone())));
        }
    }

    pub(super) fn page(
        &mut self,
        service: BareJid,
        generation: u64,
        result: Result<Option<Element>, StanzaError>,
        cx: &mut Ctx,
    ) {
        let Some(listing) = self
            .listings
            .get_mut(&service)
            .filter(|l| l.generation == generation)
        else {
            return;
        };
        let query = match result {
            Ok(query) => query,
            Err(error) => {
                self.listings.remove(&service);
                cx.emit(Event::Room(RoomEvent::ListFailed {
                    service,
                    error: Some(error),
                }));
                return;
            }
        };
        let page = listing.page(&service, query.as_ref());
        cx.emit(Event::Room(RoomEvent::ListPage {
            service: service.clone(),
            rooms: page.rooms,
            complete: page.next.is_none(),
            count_hint: page.count_hint,
        }));
        match page.next {
            Some(set) => self.request_page(&service, set, cx),
            None => {
                self.listings.remove(&service);
            }
        }
    }
}
