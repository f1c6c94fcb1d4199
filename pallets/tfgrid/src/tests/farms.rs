use crate::{mock::*, Error, Event, Farm, FarmIdByName, Farms, LastFarmId};
use frame_support::{assert_noop, assert_ok};

#[test]
fn create_farm_indexes_the_lower_case_name() {
	ExtBuilder::default().with_twin(FARMER).build_and_execute(|| {
		assert_ok!(TfgridModule::create_farm(
			RuntimeOrigin::signed(FARMER),
			bounded("My-Farm_1.a")
		));
		System::assert_last_event(
			Event::FarmCreated { farm_id: 1, twin_id: 1, name: bounded("My-Farm_1.a") }.into(),
		);
		assert_eq!(
			Farms::<Test>::get(1),
			Some(Farm {
				id: 1,
				name: bounded("My-Farm_1.a"),
				twin_id: 1,
				account: FARMER,
				nodes: 0,
				deposit: TfgridModule::farm_deposit()
			})
		);
		let key: crate::FarmNameOf<Test> = bounded("my-farm_1.a");
		assert_eq!(FarmIdByName::<Test>::get(key), Some(1));
		assert_eq!(LastFarmId::<Test>::get(), 1);
	});
}

#[test]
fn farm_names_are_unique_regardless_of_case() {
	ExtBuilder::default().with_twin(FARMER).with_twin(USER).build_and_execute(|| {
		assert_ok!(TfgridModule::create_farm(RuntimeOrigin::signed(FARMER), bounded("farm")));
		for name in ["farm", "FARM", "Farm"] {
			assert_noop!(
				TfgridModule::create_farm(RuntimeOrigin::signed(USER), bounded(name)),
				Error::<Test>::FarmNameTaken
			);
		}
	});
}

#[test]
fn farm_names_with_spaces_or_control_characters_are_refused() {
	ExtBuilder::default().with_twin(FARMER).build_and_execute(|| {
		for name in ["", "my farm", "farm\t", "farm\0", "farm\n", "farm/1", "férme", "farm!"] {
			assert_noop!(
				TfgridModule::create_farm(RuntimeOrigin::signed(FARMER), bounded(name)),
				Error::<Test>::InvalidFarmName
			);
		}
	});
}

#[test]
fn farm_name_at_its_bound_is_accepted() {
	ExtBuilder::default().with_twin(FARMER).build_and_execute(|| {
		let name = "f".repeat(MAX_FARM_NAME as usize);
		assert_ok!(TfgridModule::create_farm(RuntimeOrigin::signed(FARMER), bounded(&name)));
		assert!(
			crate::FarmNameOf::<Test>::try_from(vec![b'f'; MAX_FARM_NAME as usize + 1]).is_err()
		);
	});
}

#[test]
fn create_farm_needs_a_twin() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			TfgridModule::create_farm(RuntimeOrigin::signed(STRANGER), bounded("farm")),
			Error::<Test>::TwinNotFound
		);
	});
}

#[test]
fn farm_ids_do_not_wrap_around() {
	ExtBuilder::default().with_twin(FARMER).build_and_execute(|| {
		LastFarmId::<Test>::put(u32::MAX);
		assert_noop!(
			TfgridModule::create_farm(RuntimeOrigin::signed(FARMER), bounded("farm")),
			Error::<Test>::IdsExhausted
		);
	});
}
