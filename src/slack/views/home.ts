import type { HomeView } from '@slack/types';
import type { HomeData } from '../../domain/home-data';
import { ADMIN_SECTION_MAX_BLOCKS, buildAdminHomeSection } from './admin-home';
import { buildAdminNoticesSection, buildMyFollowUpsSection } from './follow-up-home';
import { buildPipelineHome, type PipelineHomeViewer } from './pipeline-home';
import { buildAgendaControls, buildTodayBlocks, TODAY_HOME_MAX_BLOCKS } from './today-section';

/** The whole Home tab of a roster member: admin notices, who to call today, pipeline, their follow-ups, and the Admin section for admins. */
export function buildHomeView(data: HomeData, viewer: PipelineHomeViewer): HomeView {
  return buildPipelineHome({
    viewer,
    now: data.now,
    stageLabels: data.stageLabels,
    filter: data.filter,
    snapshot: data.snapshot,
    sync: data.sync,
    extras: {
      notices: buildAdminNoticesSection(data.notices.notices, data.notices.total),
      today: [
        ...buildTodayBlocks(data.today, {
          viewerId: viewer.userId,
          canEdit: viewer.canEdit,
          labels: data.stageLabels,
          maxBlocks: TODAY_HOME_MAX_BLOCKS,
          title: 'Who to call today',
        }),
        ...(data.agenda ? buildAgendaControls({ ...data.agenda, timeZone: viewer.timeZone }) : []),
      ],
      followUps: buildMyFollowUpsSection(data.followUps),
      admin: data.admin ? buildAdminHomeSection(data.admin).slice(0, ADMIN_SECTION_MAX_BLOCKS) : [],
    },
  });
}
