"""Action plans (rencana aksi): changes a learner makes at work after a course, followed up and confirmed."""
